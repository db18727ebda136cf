from django.urls import path

from icc.roadmaps import views

app_name = "roadmaps"
urlpatterns = [
    path("cities/<int:pk>/strategy/", views.strategy_view, name="strategy"),
    path("cities/<int:pk>/strategy/versions/<int:number>/", views.strategy_version, name="strategy_version"),
    path("cities/<int:pk>/strategy/solutions/", views.solutions_view, name="solutions"),
    path("cities/<int:pk>/strategy/solutions/<int:solution_pk>/", views.solutions_view, name="solution_edit"),
    path("cities/<int:pk>/roadmap/", views.roadmap_view, name="roadmap"),
    path("cities/<int:pk>/roadmap/export.<str:fmt>", views.roadmap_export, name="roadmap_export"),
    path("cities/<int:pk>/roadmap/opportunities/new/", views.opportunity_edit, name="opportunity_new"),
    path(
        "cities/<int:pk>/roadmap/opportunities/<int:opportunity_pk>/", views.opportunity_edit, name="opportunity_edit"
    ),
    path("cities/<int:city_pk>/roadmap/actions/new/", views.action_edit, name="action_new"),
    path("actions/<int:pk>/", views.action_view, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("my-actions/", views.my_actions, name="mine"),
    path("cities/<int:pk>/kpis/", views.kpis_view, name="kpis"),
    path("cities/<int:pk>/kpis/export.<str:fmt>", views.kpi_export, name="kpi_export"),
    path("cities/<int:city_pk>/kpis/new/", views.kpi_edit, name="kpi_new"),
    path("kpis/<int:pk>/", views.kpi_view, name="kpi"),
    path("kpis/<int:pk>/edit/", views.kpi_edit, name="kpi_edit"),
    path("cities/<int:pk>/cycles/<int:number>/", views.cycle_view, name="cycle"),
    path("cities/<int:pk>/cycles/<int:number>/sign-off/", views.sign_off_view, name="sign_off"),
    path("cities/<int:pk>/chain/", views.chain_view, name="chain"),
    path("programmes/<slug:slug>/kpis/", views.programme_kpis, name="programme_kpis"),
]
