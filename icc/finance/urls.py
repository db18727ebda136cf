"""Access to finance: the finance team's readiness, the funding catalogue, matches and applications."""

from django.urls import path

from icc.finance import views

app_name = "finance"
urlpatterns = [
    path("programmes/<slug:slug>/funding/", views.catalogue, name="catalogue"),
    path("programmes/<slug:slug>/funding/add/", views.call_add, name="call_add"),
    path("programmes/<slug:slug>/funding/import/", views.call_import, name="import"),
    path("programmes/<slug:slug>/funding/searches/", views.searches, name="searches"),
    path("programmes/<slug:slug>/funding/searches/save/", views.search_save, name="search_save"),
    path("programmes/<slug:slug>/funding/statistics/", views.cohort_statistics, name="statistics"),
    path("funding/calls/<int:pk>/", views.call_view, name="call"),
    path("funding/calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("funding/calls/<int:pk>/remove/", views.call_remove, name="call_remove"),
    path("funding/searches/<int:pk>/alerts/", views.search_alerts, name="search_alerts"),
    path("funding/searches/<int:pk>/remove/", views.search_remove, name="search_remove"),
    path("cities/<int:pk>/funding/", views.matches, name="matches"),
    path("cities/<int:pk>/funding/applications/add/", views.application_add, name="application_add"),
    path("funding/actions/<int:pk>/", views.action_funding, name="action_funding"),
    path("funding/applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("funding/applications/<int:pk>/remove/", views.application_remove, name="application_remove"),
]
