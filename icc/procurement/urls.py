"""Innovation procurement: plans through their phases, exported as Open Contracting releases."""

from django.urls import URLPattern

app_name = "procurement"
urlpatterns: list[URLPattern] = []
