"""The early warning (the edition's cities by risk, one city's score, refreshing the scores)
a city's reports (asking for one, its files, submitting it as a deliverable) and the
cohort's programme report."""

from django.urls import path

from icc.reports.views import documents, warnings

app_name = "reports"
urlpatterns = [
    path("programmes/<slug:slug>/early-warning/", warnings.warnings, name="warnings"),
    path("programmes/<slug:slug>/early-warning/refresh/", warnings.refresh, name="refresh"),
    path("cities/<int:pk>/early-warning/", warnings.city_risk, name="city_risk"),
    path("cities/<int:pk>/reports/", documents.city_reports, name="city_reports"),
    path("cities/<int:pk>/reports/new/", documents.request, name="request"),
    path("programmes/<slug:slug>/reports/", documents.programme_reports, name="programme_reports"),
    path("programmes/<slug:slug>/reports/new/", documents.request_programme, name="request_programme"),
    path("reports/<int:pk>/", documents.report, name="report"),
    path("reports/<int:pk>/report.<str:format>", documents.download, name="download"),
    path("reports/<int:pk>/submit/", documents.submit, name="submit"),
]
