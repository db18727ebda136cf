"""The early warning's and the reports' URLs in the permission matrix.

The programme team follows every city, a lead expert the cities they lead (city A here);
nobody else learns a city's score, the city's own team included (404). Only the programme
team works the scores out again (the lead expert gets 403).

A city's reports are read by whoever may open the city and asked for by those who may
change it and by its lead expert (the mayor and the experts who follow the city read but
get 403). Each check that needs one makes, once, a report of city A that is ready. The
programme report, of the whole cohort, is the programme team's: 404 for everyone else.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import (
    CITY_A,
    CITY_A_READ,
    CITY_A_WRITE,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    PROGRAMME,
    REDIRECT,
    Kwargs,
    Routes,
    everyone,
)


def _report_of_city_a(c: Any) -> dict[str, Any]:
    existing = getattr(c, "reports_matrix", None)
    if existing is None:
        from icc.reports.actions import make_report, request_report

        report, _queued = request_report(city=c.city_a, kind="roadmap-kpis", language="en", by=c.person("rep_a"))
        make_report(report_id=report.pk)
        existing = c.reports_matrix = {"pk": report.pk}
    return existing


REPORT: Kwargs = _report_of_city_a
PDF: Kwargs = lambda c: {**_report_of_city_a(c), "format": "pdf"}  # noqa: E731
ASKERS = {**CITY_A_WRITE, "lead_expert": REDIRECT, "organiser": REDIRECT, "rep_a": REDIRECT}

FOLLOWERS = {**everyone(NOT_FOUND), "organiser": OK, "lead_expert": OK, "anonymous": REDIRECT}
COHORT_TEAM = {**everyone(NOT_FOUND), "anonymous": REDIRECT}

ROUTES: Routes = {
    "reports:warnings": ("get", PROGRAMME, FOLLOWERS),
    "reports:refresh": (
        "post",
        PROGRAMME,
        {**everyone(NOT_FOUND), "organiser": REDIRECT, "lead_expert": FORBIDDEN, "anonymous": REDIRECT},
    ),
    "reports:city_risk": ("get", CITY_A, FOLLOWERS),
    "reports:city_reports": ("get", CITY_A, CITY_A_READ),
    "reports:programme_reports": ("get", PROGRAMME, {**COHORT_TEAM, "organiser": OK}),
    "reports:request_programme": ("post", PROGRAMME, {**COHORT_TEAM, "organiser": REDIRECT}),
    "reports:request": ("post", CITY_A, ASKERS),
    "reports:report": ("get", REPORT, CITY_A_READ),
    "reports:download": ("get", PDF, CITY_A_READ),
    # Sent empty: the report's page again with the error, for those who may submit.
    "reports:submit": ("post", REPORT, ASKERS),
}
