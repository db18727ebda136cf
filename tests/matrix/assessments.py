"""The assessments URLs in the permission matrix.

Every write is tried with an empty POST: those allowed get the page again with the form's
errors (200) or, where an empty form is a valid one, the redirect after the write (302);
the others get what the page's rules say (403, 404, or the sign-in for the anonymous).
The ``assessment`` fixture holds a submitted baseline scan of city A.
"""

from __future__ import annotations

import datetime as dt
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
    TEAM_ONLY,
    Kwargs,
    Routes,
    everyone,
)


def _redirected(expected: dict[str, int]) -> dict[str, int]:
    """The same, with the allowed personas redirected after a write an empty form makes."""
    return {persona: REDIRECT if status == OK else status for persona, status in expected.items()}


def _only(*allowed: str, status: int) -> dict[str, int]:
    """Those who see city A get 403, except ``allowed``, who get ``status``."""
    return {**{k: FORBIDDEN if v == OK else v for k, v in CITY_A_READ.items()}, **dict.fromkeys(allowed, status)}


def _open_survey(c: Any) -> dict[str, Any]:
    """City A's baseline survey, opened, so that closing, inviting and sharing reach its rules."""
    from icc.assessments import survey
    from icc.assessments.models import SatCampaign

    instrument = survey.enablers_instrument(c.city_a)
    SatCampaign.objects.get_or_create(
        instrument=instrument,
        city=c.city_a,
        round="baseline",
        defaults={"closes_on": survey.city_today(c.city_a) + dt.timedelta(days=30)},
    )
    return {**CITY_A(c), "round": "baseline"}


SCAN: Kwargs = lambda c: {**CITY_A(c), "instrument_pk": c.assessment.instrument_id, "round": "baseline"}  # noqa: E731
# The re-run of the scan is not started: it takes a draft.
SCAN_RERUN: Kwargs = lambda c: {**SCAN(c), "round": "rerun"}  # noqa: E731
BASELINE: Kwargs = lambda c: {**CITY_A(c), "round": "baseline"}  # noqa: E731
QUESTION: Kwargs = lambda c: {  # noqa: E731
    **PROGRAMME(c),
    "pk": c.assessment.instrument.sections.first().questions.first().pk,
}

# The submitted scan is reopened by the city's lead expert and the programme team.
REOPENERS = _only("organiser", "lead_expert", status=REDIRECT)
PEER_POPULATION_SETTERS = _only("organiser", status=OK)

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "assessments:city": ("get", CITY_A, CITY_A_READ),
    "assessments:response": ("get", SCAN, CITY_A_READ),
    "assessments:response_save": ("post", SCAN_RERUN, _redirected(CITY_A_WRITE)),
    "assessments:response_reopen": ("post", SCAN, REOPENERS),
    "assessments:survey_manage": ("get", BASELINE, CITY_A_READ),
    "assessments:survey_open": ("post", BASELINE, CITY_A_WRITE),
    "assessments:survey_close": ("post", _open_survey, _redirected(CITY_A_WRITE)),
    "assessments:survey_invite": ("post", _open_survey, CITY_A_WRITE),
    "assessments:survey_share": ("post", _open_survey, CITY_A_WRITE),
    "assessments:survey": [
        ("get", lambda c: {"kind": "i", "token": "guessed"}, everyone(NOT_FOUND)),
        ("post", lambda c: {"kind": "i", "token": "guessed"}, everyone(NOT_FOUND)),
    ],
    "assessments:indicators": ("get", BASELINE, CITY_A_READ),
    "assessments:indicators_save": ("post", BASELINE, _redirected(CITY_A_WRITE)),
    "assessments:indicators_reopen": ("post", BASELINE, REOPENERS),
    "assessments:workbook": ("get", BASELINE, CITY_A_READ),
    "assessments:workbook_upload": ("post", BASELINE, CITY_A_WRITE),
    "assessments:workbook_confirm": ("post", BASELINE, _redirected(CITY_A_WRITE)),
    "assessments:instruments": ("get", PROGRAMME, TEAM_ONLY),
    "assessments:question_edit": [("get", QUESTION, TEAM_ONLY), ("post", QUESTION, TEAM_ONLY)],
    "assessments:peers": ("get", CITY_A, CITY_A_READ),
    "assessments:peer_population": ("post", CITY_A, PEER_POPULATION_SETTERS),
    "assessments:compare": ("get", lambda c: {**CITY_A(c), "instrument_pk": c.assessment.instrument_id}, CITY_A_READ),
    "assessments:result": ("get", SCAN, CITY_A_READ),
}
