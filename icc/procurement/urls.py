"""Innovation procurement: plans through their phases, exported as Open Contracting releases."""

from django.urls import path

from icc.procurement import views

app_name = "procurement"
urlpatterns = [
    path("programmes/<slug:slug>/procurement/", views.plans, name="plans"),
    path("cities/<int:pk>/procurement/", views.city_plans, name="city"),
    path("cities/<int:pk>/procurement/new/", views.plan_new, name="plan_new"),
    path("procurement/plans/<int:pk>/", views.plan_view, name="plan"),
    path("procurement/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("procurement/plans/<int:pk>/ocds.json", views.export, name="export"),
    path("procurement/plans/<int:pk>/phases/new/", views.phase_new, name="phase_new"),
    path("procurement/phases/<int:pk>/", views.phase_edit, name="phase_edit"),
    path("procurement/phases/<int:pk>/remove/", views.phase_remove, name="phase_remove"),
    path("procurement/phases/<int:pk>/documents/", views.document_add, name="document_add"),
    path("procurement/documents/<int:pk>/", views.document_download, name="document"),
]
