"""The assessments URLs in the permission matrix."""

from __future__ import annotations

from tests.matrix.common import (
    CITY_A,
    CITY_A_READ,
    NOT_FOUND,
    PROGRAMME,
    TEAM_ONLY,
    Routes,
    everyone,
)

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "assessments:city": ("get", CITY_A, CITY_A_READ),
    "assessments:response": (
        "get",
        lambda c: {**CITY_A(c), "instrument_pk": c.assessment.instrument_id, "round": "baseline"},
        CITY_A_READ,
    ),
    "assessments:survey_manage": ("get", lambda c: {**CITY_A(c), "round": "baseline"}, CITY_A_READ),
    "assessments:survey": ("get", lambda c: {"kind": "i", "token": "guessed"}, everyone(NOT_FOUND)),
    "assessments:indicators": ("get", lambda c: {**CITY_A(c), "round": "baseline"}, CITY_A_READ),
    "assessments:workbook": ("get", lambda c: {**CITY_A(c), "round": "baseline"}, CITY_A_READ),
    "assessments:instruments": ("get", PROGRAMME, TEAM_ONLY),
    "assessments:question_edit": (
        "get",
        lambda c: {**PROGRAMME(c), "pk": c.assessment.instrument.sections.first().questions.first().pk},
        TEAM_ONLY,
    ),
    "assessments:peers": ("get", CITY_A, CITY_A_READ),
    "assessments:compare": ("get", lambda c: {**CITY_A(c), "instrument_pk": c.assessment.instrument_id}, CITY_A_READ),
    "assessments:result": (
        "get",
        lambda c: {**CITY_A(c), "instrument_pk": c.assessment.instrument_id, "round": "baseline"},
        CITY_A_READ,
    ),
}
