"""Open data: the shared open data charter's principles as a checklist per city, with evidence."""

from django.urls import URLPattern

app_name = "opendata"
urlpatterns: list[URLPattern] = []
