"""A person's own data under /account/, the programme team's pages under /privacy/."""

from django.urls import path

from icc.privacy import views

app_name = "privacy"
urlpatterns = [
    path("account/my-data/", views.my_data, name="my_data"),
    path("account/my-data/export.json", views.export, name="export"),
    path("account/my-data/erasure/", views.request_erasure, name="request_erasure"),
    path("privacy/erasure-requests/", views.erasure_requests, name="requests"),
    path("privacy/erasure-requests/<int:pk>/confirm/", views.confirm_erasure, name="confirm"),
    path("privacy/erasure-requests/<int:pk>/decline/", views.decline_erasure, name="decline"),
    path("privacy/record-of-processing/", views.record_of_processing, name="record"),
]
