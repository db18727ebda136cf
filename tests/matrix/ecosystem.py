"""The local ecosystem URLs in the permission matrix.

City A's stakeholder map and interviews are open to city A's own viewers (its lead
expert, representative and mayor) and the programme team; thematic and transversal
experts, city B, the mentor, the stakeholder and outsiders get 404. Changes are made by
whoever may change the city: the mayor gets 403. The interview guide is the programme
team's (other members 403). Each check sets up, once, city A's innovation hub mapped,
with a contact, an interview and an insight.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.matrix.common import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    PROGRAMME,
    REDIRECT,
    TEAM_ONLY,
    Kwargs,
    Routes,
)

READ = {
    "organiser": OK,
    "lead_expert": OK,
    "thematic_expert": NOT_FOUND,
    "transversal_expert": NOT_FOUND,
    "rep_a": OK,
    "rep_b": NOT_FOUND,
    "mayor_a": OK,
    "mentor": NOT_FOUND,
    "stakeholder": NOT_FOUND,
    "outsider": NOT_FOUND,
    "anonymous": REDIRECT,
}
WRITE_PAGE = {**READ, "mayor_a": FORBIDDEN}
# An empty form posted: the writers get it back with its errors.
BAD_FORM = {**WRITE_PAGE, "organiser": 400, "lead_expert": 400, "rep_a": 400}
# A write that needs no form (an empty note, a removal): the writers are redirected.
DONE = {**WRITE_PAGE, "organiser": REDIRECT, "lead_expert": REDIRECT, "rep_a": REDIRECT}


def _eco(c: Any) -> dict[str, Any]:
    existing = getattr(c, "ecosystem_matrix", None)
    if existing is not None:
        return existing
    from icc.ecosystem.models import Contact, Insight, Interview, Stakeholder

    organisation = c.organisation_a
    Stakeholder.objects.create(organisation=organisation, role="connector", influence=4, interest=5, version=1)
    contact = Contact.objects.create(organisation=organisation, name="Ana Example", email="ana@example.org")
    interview = Interview.objects.create(
        city=c.city_a,
        organisation=organisation,
        contact=contact,
        interviewer=c.person("lead_expert"),
        planned_on=dt.date(2026, 3, 2),
        created_by=c.person("lead_expert"),
        version=1,
    )
    insight = Insight.objects.create(interview=interview, text="Data sharing is blocked", enabler="data")
    c.ecosystem_matrix = {"contact": contact, "interview": interview, "insight": insight}
    return c.ecosystem_matrix


CITY: Kwargs = lambda c: {"pk": c.city_a.pk}  # noqa: E731
STAKEHOLDER: Kwargs = lambda c: {"pk": (_eco(c), c.organisation_a.pk)[1]}  # noqa: E731
CONTACT: Kwargs = lambda c: {"pk": _eco(c)["contact"].pk}  # noqa: E731
INTERVIEW: Kwargs = lambda c: {"pk": _eco(c)["interview"].pk}  # noqa: E731
INSIGHT: Kwargs = lambda c: {"pk": _eco(c)["insight"].pk}  # noqa: E731

ROUTES: Routes = {
    "ecosystem:map": ("get", CITY, READ),
    "ecosystem:interviews": ("get", CITY, READ),
    "ecosystem:interviews_csv": ("get", CITY, READ),
    "ecosystem:interview_plan": ("post", CITY, BAD_FORM),
    "ecosystem:stakeholder": ("get", STAKEHOLDER, READ),
    "ecosystem:stakeholder_save": ("post", STAKEHOLDER, BAD_FORM),
    "ecosystem:contact_add": ("post", STAKEHOLDER, BAD_FORM),
    "ecosystem:contact_remove": ("post", CONTACT, DONE),
    "ecosystem:interview": ("get", INTERVIEW, READ),
    "ecosystem:interview_edit": [("get", INTERVIEW, WRITE_PAGE), ("post", INTERVIEW, BAD_FORM)],
    "ecosystem:note_save": ("post", INTERVIEW, DONE),
    "ecosystem:insight_add": ("post", INTERVIEW, BAD_FORM),
    "ecosystem:insight_remove": ("post", INSIGHT, DONE),
    "ecosystem:guide": [
        ("get", PROGRAMME, TEAM_ONLY),
        ("post", PROGRAMME, {**TEAM_ONLY, "organiser": 400}),
    ],
}
