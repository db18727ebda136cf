"""The account's API tokens page, one address per write."""

from django.urls import path

from icc.api import views

app_name = "api_tokens"
urlpatterns = [
    path("account/api-tokens/", views.tokens, name="tokens"),
    path("account/api-tokens/new/", views.create, name="create"),
    path("account/api-tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
]
