"""The programme office's dashboard: the cohort at a glance."""

from django.urls import path

from icc.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("programmes/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
]
