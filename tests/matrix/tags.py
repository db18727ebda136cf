"""The tags URLs in the permission matrix.

Each page is checked with GET; each write with an empty POST, which the people allowed to
make it get as the page again with the form's errors (200) or, for a button, as a
redirect back to the page (302).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.matrix.common import (
    CITY_A,
    CITY_A_READ,
    CITY_A_WRITE,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    TAG_MEMBERS,
    TEAM_ONLY,
    Routes,
    membership,
)

# Those who see the TAG but get 403 on a write of the TAG, unless they are listed.
TAG_SEEN = {k: FORBIDDEN if v == OK else v for k, v in TAG_MEMBERS.items()}
TAG_RUNNERS = {**TAG_SEEN, "organiser": OK, "mentor": OK}
TAG_RUNNERS_REDIRECTED = {**TAG_SEEN, "organiser": REDIRECT, "mentor": REDIRECT}
MEMBER_CITIES = {**TAG_SEEN, "rep_a": OK, "rep_b": OK}
MEMBER_CITIES_REDIRECTED = {**TAG_SEEN, "rep_a": REDIRECT, "rep_b": REDIRECT}
# The working session's facilitators and city A's representative, for city A's commitment.
FOLLOWERS = {**TAG_SEEN, "organiser": OK, "mentor": OK, "rep_a": OK}
TEAM_REDIRECTED = {**TEAM_ONLY, "organiser": REDIRECT}
CITY_A_EDITORS_REDIRECTED = {**CITY_A_WRITE, "organiser": REDIRECT, "lead_expert": REDIRECT, "rep_a": REDIRECT}
# Labs: the core cities' representatives bring projects, use cases and picks.
LAB_CITIES = {**membership(team=FORBIDDEN, members=FORBIDDEN, stakeholder=NOT_FOUND), "rep_a": OK, "rep_b": OK}
# The brain date of city A and city B: its lead expert, the thematic expert of their tracks, the team.
RECORDERS = {
    **membership(team=OK, members=FORBIDDEN, stakeholder=NOT_FOUND),
    "lead_expert": OK,
    "thematic_expert": OK,
}
VOTERS_REDIRECTED = {**membership(team=FORBIDDEN, members=REDIRECT, stakeholder=NOT_FOUND)}


def _tag(c: Any) -> dict[str, Any]:
    return {"pk": c.tags.tag.pk}


def _session(c: Any) -> dict[str, Any]:
    return {"pk": c.tags.session.pk}


def _lab(c: Any) -> dict[str, Any]:
    return {"pk": c.tags.lab.pk}


def _rule(c: Any) -> dict[str, Any]:
    from icc.tags.models import PairingRule, RuleKind

    rule = PairingRule.objects.create(city=c.city_a, mentor=c.mentor_city, kind=RuleKind.PIN)
    return {**PROGRAMME(c), "pk": rule.pk}


def _topic(c: Any) -> dict[str, Any]:
    from icc.tags.models import Topic

    topic = Topic.objects.create(tag=c.tags.tag, title="Open data")
    return {**_tag(c), "topic_pk": topic.pk}


def _request(c: Any) -> dict[str, Any]:
    from icc.tags.models import SecondMentorRequest

    theme = c.programme.themes.last()
    request = SecondMentorRequest.objects.create(city=c.city_a, mentor=c.mentor_city, theme=theme, message="Help")
    return {**_tag(c), "request_pk": request.pk}


def _commitment(c: Any) -> dict[str, Any]:
    """City A's commitment at the TAG's first session, followed up at the second (a working session)."""
    from icc.tags.models import Commitment

    first, second = c.tags.tag.sessions.order_by("starts_at")[:2]
    commitment = Commitment.objects.create(session=first, city=c.city_a, text="Map the data owners")
    return {"pk": second.pk, "commitment_pk": commitment.pk}


def _open_lab(c: Any) -> dict[str, Any]:
    """The lab with its picks still open, whatever the day the suite runs."""
    from icc.tags.models import Lab

    today = timezone.localdate()
    Lab.objects.filter(pk=c.tags.lab.pk).update(
        picks_close_on=today + dt.timedelta(days=30), held_on=today + dt.timedelta(days=60)
    )
    return _lab(c)


def _nomination(c: Any) -> dict[str, Any]:
    """City B nominated: its own representative's vote is refused, the others' is counted (both redirect)."""
    from icc.tags.models import Award, Nomination

    nomination = Nomination.objects.create(programme=c.programme, award=Award.STRATEGY, city=c.city_b, reason="Bold")
    return {**PROGRAMME(c), "pk": nomination.pk}


# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    # Formation
    "tags:tags": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "tags:formation": ("get", PROGRAMME, TEAM_ONLY),
    "tags:rule_add": ("post", PROGRAMME, TEAM_ONLY),
    "tags:rule_remove": ("post", _rule, TEAM_REDIRECTED),
    "tags:capacities_save": ("post", PROGRAMME, TEAM_ONLY),
    "tags:run_start": ("post", PROGRAMME, TEAM_ONLY),
    "tags:run": ("get", lambda c: {**PROGRAMME(c), "pk": c.tags.run.pk}, TEAM_ONLY),
    "tags:run_adopt": ("post", lambda c: {**PROGRAMME(c), "pk": c.tags.run.pk}, TEAM_REDIRECTED),
    "tags:preferences": ("get", CITY_A, CITY_A_READ),
    "tags:preferences_save": ("post", CITY_A, CITY_A_EDITORS_REDIRECTED),
    # TAG life
    "tags:tag": ("get", _tag, TAG_MEMBERS),
    "tags:topic_propose": ("post", _tag, TAG_RUNNERS),
    "tags:topic_vote": ("post", _topic, MEMBER_CITIES_REDIRECTED),
    "tags:topic_choose": ("post", _tag, TAG_RUNNERS_REDIRECTED),
    "tags:second_mentor_ask": ("post", _tag, MEMBER_CITIES),
    "tags:second_mentor_accept": ("post", _request, TAG_RUNNERS_REDIRECTED),
    "tags:second_mentor_decline": ("post", _request, TAG_RUNNERS_REDIRECTED),
    "tags:session": ("get", _session, TAG_MEMBERS),
    "tags:session_prepare": ("post", _session, TAG_RUNNERS),
    "tags:commitment_add": ("post", _session, MEMBER_CITIES),
    "tags:commitment_follow_up": ("post", _commitment, FOLLOWERS),
    # Labs and brain dates
    "tags:labs": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "tags:lab_add": ("post", PROGRAMME, TEAM_ONLY),
    "tags:lab": ("get", _lab, PROGRAMME_MEMBERS),
    "tags:brain_dates_form": ("post", _lab, TEAM_REDIRECTED),
    "tags:project_add": ("post", _lab, LAB_CITIES),
    "tags:use_case_add": ("post", _lab, LAB_CITIES),
    "tags:picks_save": ("post", _open_lab, {**LAB_CITIES, "rep_a": REDIRECT, "rep_b": REDIRECT}),
    "tags:brain_date": ("get", lambda c: {"pk": c.tags.brain_date.pk}, PROGRAMME_MEMBERS),
    "tags:takeaways_save": ("post", lambda c: {"pk": c.tags.brain_date.pk}, RECORDERS),
    # Awards
    "tags:awards": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "tags:nomination_add": ("post", PROGRAMME, PROGRAMME_MEMBERS),
    "tags:nomination_vote": ("post", _nomination, VOTERS_REDIRECTED),
    "tags:award_reveal": ("post", lambda c: {**PROGRAMME(c), "award": "strategy"}, TEAM_REDIRECTED),
}
