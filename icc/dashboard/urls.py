"""The programme office's dashboard: the cohort at a glance."""

from django.urls import URLPattern

app_name = "dashboard"
urlpatterns: list[URLPattern] = []
