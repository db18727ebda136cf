"""The chain of four concepts for one city: local enablers → activities → technology
maturity → city performance, followed from each priority solution."""

from __future__ import annotations

from typing import Any

from icc.assessments import survey
from icc.assessments.models import SatCampaign
from icc.cities.models import City
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps.actions import maturity_of
from icc.roadmaps.models import KPI, Action, Solution


def enablers(city: City) -> list[tuple[str, str]]:
    """The local enablers of the city's survey, as (key, title), without the open questions."""
    instrument = survey.enablers_instrument(city)
    if instrument is None:
        return []
    return [(s.key, s.title) for s in instrument.sections.all() if s.key != "open"]


def chain(city: City) -> dict[str, Any]:
    """Each priority solution with the actions deploying it, the enablers they build on (and
    their survey scores) and the KPIs they should move; the actions deploying no solution;
    every enabler's score. A fixed number of queries, however big the roadmap."""
    enabler_titles = dict(enablers(city))
    campaign = SatCampaign.objects.filter(city=city).order_by("-round").first()
    results = survey.results(campaign) if campaign else None
    enabler_scores = dict(results["dimensions"]) if results else {}
    action_list = list(
        Action.objects.filter(city=city)
        .select_related("opportunity")
        .prefetch_related("solutions", "kpis")
        .order_by("opportunity__rank", "starts_on")
    )
    kpi_rows = {row["kpi"].pk: row for row in kpi_figures.rows(KPI.objects.filter(city=city), None)}
    maturity = maturity_of(city)
    chains = []
    for solution in Solution.objects.filter(city=city, priority=True):
        serving = [a for a in action_list if solution in a.solutions.all()]
        titles = sorted({enabler_titles.get(key, key) for a in serving for key in a.enablers})
        kpis_moved = {k.pk: kpi_rows[k.pk] for a in serving for k in a.kpis.all() if k.pk in kpi_rows}
        chains.append(
            {
                "solution": solution,
                "rating": maturity.get(solution.name.lower()),
                "actions": serving,
                "enablers": [(title, enabler_scores.get(title)) for title in titles],
                "kpis": list(kpis_moved.values()),
            }
        )
    return {
        "chains": chains,
        "unlinked": [a for a in action_list if not a.solutions.all()],
        "enabler_scores": [(title, enabler_scores.get(title)) for title in enabler_titles.values()],
        "survey_responses": results["responses"] if results else 0,
        "kpi_rows": list(kpi_rows.values()),
    }
