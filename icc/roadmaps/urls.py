from django.urls import path

from icc.roadmaps.views import chain, cycles, kpis, roadmap, solutions, strategy

app_name = "roadmaps"
urlpatterns = [
    # Strategy and solutions
    path("cities/<int:pk>/strategy/", strategy.strategy_view, name="strategy"),
    path("cities/<int:pk>/strategy/save/", strategy.strategy_save, name="strategy_save"),
    path("cities/<int:pk>/strategy/versions/<int:number>/", strategy.strategy_version, name="strategy_version"),
    path(
        "cities/<int:pk>/strategy/versions/<int:number>/comment/",
        strategy.strategy_comment,
        name="strategy_comment",
    ),
    path("cities/<int:pk>/strategy/solutions/", solutions.solutions_view, name="solutions"),
    path("cities/<int:pk>/strategy/solutions/add/", solutions.solution_add, name="solution_add"),
    path(
        "cities/<int:pk>/strategy/solutions/from-assessment/",
        solutions.solutions_from_assessment,
        name="solutions_from_assessment",
    ),
    path("cities/<int:pk>/strategy/solutions/<int:solution_pk>/", solutions.solution_edit, name="solution_edit"),
    # Roadmap: opportunities and actions
    path("cities/<int:pk>/roadmap/", roadmap.roadmap_view, name="roadmap"),
    path("cities/<int:pk>/roadmap/export.<str:fmt>", roadmap.roadmap_export, name="roadmap_export"),
    path("cities/<int:pk>/roadmap/opportunities/new/", roadmap.opportunity_edit, name="opportunity_new"),
    path(
        "cities/<int:pk>/roadmap/opportunities/<int:opportunity_pk>/",
        roadmap.opportunity_edit,
        name="opportunity_edit",
    ),
    path("cities/<int:city_pk>/roadmap/actions/new/", roadmap.action_edit, name="action_new"),
    path("actions/<int:pk>/", roadmap.action_view, name="action"),
    path("actions/<int:pk>/progress/", roadmap.action_report, name="action_report"),
    path("actions/<int:pk>/edit/", roadmap.action_edit, name="action_edit"),
    path("my-actions/", roadmap.my_actions, name="mine"),
    # KPIs
    path("cities/<int:pk>/kpis/", kpis.kpis_view, name="kpis"),
    path("cities/<int:pk>/kpis/export.<str:fmt>", kpis.kpi_export, name="kpi_export"),
    path("cities/<int:city_pk>/kpis/new/", kpis.kpi_edit, name="kpi_new"),
    path("kpis/<int:pk>/", kpis.kpi_view, name="kpi"),
    path("kpis/<int:pk>/measurements/", kpis.kpi_measure, name="kpi_measure"),
    path("kpis/<int:pk>/edit/", kpis.kpi_edit, name="kpi_edit"),
    path("programmes/<slug:slug>/kpis/", kpis.programme_kpis, name="programme_kpis"),
    # Cycle plans
    path("cities/<int:pk>/cycles/<int:number>/", cycles.cycle_view, name="cycle"),
    path("cities/<int:pk>/cycles/<int:number>/ranks/", cycles.cycle_rank, name="cycle_rank"),
    path("cities/<int:pk>/cycles/<int:number>/reallocate/", cycles.cycle_reallocate, name="cycle_reallocate"),
    path("cities/<int:pk>/cycles/<int:number>/confirm/", cycles.cycle_confirm, name="cycle_confirm"),
    path("cities/<int:pk>/cycles/<int:number>/sign-off/", cycles.sign_off_view, name="sign_off"),
    # Traceability
    path("cities/<int:pk>/chain/", chain.chain_view, name="chain"),
]
