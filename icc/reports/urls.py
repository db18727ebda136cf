"""The early warning: the edition's cities by risk, one city's score, refreshing the scores."""

from django.urls import path

from icc.reports import views

app_name = "reports"
urlpatterns = [
    path("programmes/<slug:slug>/early-warning/", views.warnings, name="warnings"),
    path("programmes/<slug:slug>/early-warning/refresh/", views.refresh, name="refresh"),
    path("cities/<int:pk>/early-warning/", views.city_risk, name="city_risk"),
]
