"""Access to finance: the finance team's readiness, the funding catalogue, matches and applications."""

from django.urls import URLPattern

app_name = "finance"
urlpatterns: list[URLPattern] = []
