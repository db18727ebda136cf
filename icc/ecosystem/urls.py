"""The local ecosystem: the stakeholder map and the 1:1 ecosystem interviews."""

from django.urls import URLPattern

app_name = "ecosystem"
urlpatterns: list[URLPattern] = []
