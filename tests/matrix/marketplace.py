"""The marketplace's URLs in the permission matrix.

The marketplace is for the people taking part (PROGRAMME_MEMBERS); stakeholders and
outsiders get 404. Each check sets up, once, a published provider and solution written
by city A's team with a deployment claimed in city B waiting for city B, a challenge of
city A waiting for review, and city A's profile waiting for review. City A's team writes
city A's content; the programme team reviews; city B's representative confirms city B's
deployment.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    TEAM_ONLY,
    Kwargs,
    Routes,
)

BAD_FORM = 400


def _market(c: Any) -> dict[str, Any]:
    existing = getattr(c, "market_matrix", None)
    if existing is not None:
        return existing
    import datetime as dt

    from icc.marketplace.models import Challenge, CityProfile, Deployment, Provider, Review, Solution

    rep = c.person("rep_a")
    provider = Provider.objects.create(
        programme=c.programme, name="Lumen", kind="sme", country="DE", review=Review.PUBLISHED, created_by=rep
    )
    solution = Solution.objects.create(
        programme=c.programme,
        provider=provider,
        city=c.city_a,
        name="Street lights",
        summary="Dims.",
        functions=["lighting"],
        cost_model="free",
        review=Review.PUBLISHED,
        created_by=rep,
    )
    deployment = Deployment.objects.create(
        solution=solution, city=c.city_b, started_on=dt.date(2025, 1, 1), scale="10", claimed_by=rep
    )
    challenge = Challenge.objects.create(
        city=c.city_a,
        title="Lights on all night",
        context="Bills.",
        theme=c.city_a.track,
        functions=["lighting"],
        review=Review.SUBMITTED,
        created_by=rep,
    )
    CityProfile.objects.create(city=c.city_a, summary="Hello", review=Review.SUBMITTED, created_by=rep)
    c.market_matrix = {"solution": solution, "deployment": deployment, "challenge": challenge, "provider": provider}
    return c.market_matrix


SOLUTION: Kwargs = lambda c: {"pk": _market(c)["solution"].pk}  # noqa: E731
DEPLOYMENT: Kwargs = lambda c: {"pk": _market(c)["deployment"].pk}  # noqa: E731
CHALLENGE: Kwargs = lambda c: {"pk": _market(c)["challenge"].pk}  # noqa: E731
PROVIDER: Kwargs = lambda c: {"pk": _market(c)["provider"].pk}  # noqa: E731
CITY_A: Kwargs = lambda c: (_market(c), {"pk": c.city_a.pk})[1]  # noqa: E731


def _as(status: int, table: dict[str, int] = PROGRAMME_MEMBERS) -> dict[str, int]:
    return {p: status if s == OK else s for p, s in table.items()}


# Writers: those who may edit a city of the programme (the programme team, lead experts,
# city and mentor representatives); the others who take part get 403.
WRITERS = {**_as(FORBIDDEN), **dict.fromkeys(("organiser", "lead_expert", "rep_a", "rep_b", "mentor"), OK)}
WRITERS_BAD_FORM = _as(BAD_FORM, WRITERS)
# City A's own content while it waits for review: those who write for city A (its team)
# and the reviewers see it; everyone else taking part gets 404, as for a draft.
CITY_A_PENDING = {**_as(NOT_FOUND), **dict.fromkeys(("organiser", "lead_expert", "rep_a"), OK)}
CITY_A_PENDING_WRITE = _as(REDIRECT, CITY_A_PENDING)
# City A's published content: everyone taking part reads it, its team changes it.
CITY_A_EDITORS = {**_as(FORBIDDEN), **dict.fromkeys(("organiser", "lead_expert", "rep_a"), OK)}
# Its profile page is there for everyone taking part; writing it is for its team.
PROFILE_WRITERS = CITY_A_EDITORS
REVIEWERS_REDIRECTED = {**_as(REDIRECT, TEAM_ONLY)}
# A decision on something waiting: those who see it but do not review get 403.
DECIDE_PENDING = {**{p: FORBIDDEN if s == OK else s for p, s in CITY_A_PENDING.items()}, "organiser": REDIRECT}
CONFIRMERS = {**_as(FORBIDDEN), "rep_b": REDIRECT}
# "We have this too" needs a published challenge; this one waits for review, so only its
# team and the reviewers find it, and none of them writes for another city than city A.
SHARE = {**{p: FORBIDDEN if s == OK else s for p, s in CITY_A_PENDING.items()}}

ROUTES: Routes = {
    "marketplace:browse": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "marketplace:solution_add": [("get", PROGRAMME, WRITERS), ("post", PROGRAMME, WRITERS_BAD_FORM)],
    "marketplace:provider_add": [("get", PROGRAMME, WRITERS), ("post", PROGRAMME, WRITERS_BAD_FORM)],
    "marketplace:challenges": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "marketplace:challenge_add": [("get", PROGRAMME, WRITERS), ("post", PROGRAMME, WRITERS_BAD_FORM)],
    "marketplace:review": ("get", PROGRAMME, TEAM_ONLY),
    "marketplace:solution": ("get", SOLUTION, PROGRAMME_MEMBERS),
    "marketplace:solution_edit": [("get", SOLUTION, CITY_A_EDITORS), ("post", SOLUTION, _as(BAD_FORM, CITY_A_EDITORS))],
    "marketplace:solution_submit": (
        "post",
        SOLUTION,
        _as(FORBIDDEN) | {"organiser": REDIRECT, "lead_expert": REDIRECT, "rep_a": REDIRECT},
    ),
    "marketplace:solution_decide": ("post", SOLUTION, _as(FORBIDDEN) | {"organiser": REDIRECT}),
    # An empty claim: the page again with its errors for those who write for a city.
    "marketplace:deployment_add": (
        "post",
        SOLUTION,
        _as(FORBIDDEN) | dict.fromkeys(("organiser", "lead_expert", "rep_a", "rep_b", "mentor"), BAD_FORM),
    ),
    "marketplace:solution_report": ("post", SOLUTION, _as(BAD_FORM)),
    "marketplace:deployment_confirm": ("post", DEPLOYMENT, CONFIRMERS),
    "marketplace:provider": ("get", PROVIDER, PROGRAMME_MEMBERS),
    "marketplace:challenge": ("get", CHALLENGE, CITY_A_PENDING),
    "marketplace:challenge_share": ("post", CHALLENGE, SHARE),
    "marketplace:challenge_submit": ("post", CHALLENGE, CITY_A_PENDING_WRITE),
    "marketplace:challenge_decide": ("post", CHALLENGE, DECIDE_PENDING),
    "marketplace:profile": ("get", CITY_A, CITY_A_PENDING),
    "marketplace:profile_edit": [("get", CITY_A, PROFILE_WRITERS), ("post", CITY_A, _as(REDIRECT, PROFILE_WRITERS))],
    "marketplace:profile_submit": ("post", CITY_A, _as(REDIRECT, PROFILE_WRITERS)),
    "marketplace:profile_decide": ("post", CITY_A, DECIDE_PENDING),
}
