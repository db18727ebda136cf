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
    CITY_A_WRITE,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    TEAM_ONLY,
    Kwargs,
    Routes,
    everyone,
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
    # Another table may have given city A a profile already (pages collected across tables).
    CityProfile.objects.update_or_create(
        city=c.city_a, defaults={"summary": "Hello", "review": Review.SUBMITTED, "created_by": rep}
    )
    c.market_matrix = {"solution": solution, "deployment": deployment, "challenge": challenge, "provider": provider}
    return c.market_matrix


def _governance(c: Any) -> dict[str, Any]:
    """On top of :func:`_market`: city A's published challenge shared by city B, formed into a
    joint-procurement group at a lab, with a market consultation open; the mentor city a
    provider with a published solution (so the mentor may answer it); a solution submitted
    for Lumen by the programme team; a logo, a screenshot, an editor, someone invited by city
    A's team to act for Lumen; and a completed roadmap action of city A."""
    existing = getattr(c, "governance_matrix", None)
    if existing is not None:
        return existing
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from icc.marketplace.models import (
        Challenge,
        Editor,
        MarketConsultation,
        ProcurementGroup,
        Provider,
        ProviderLogo,
        ProviderMember,
        Review,
        Screenshot,
        Solution,
    )
    from icc.marketplace.tests.pictures import png
    from icc.roadmaps.models import Action, ActionStatus, Opportunity
    from icc.tags.models import Lab
    from tests.factories import PersonFactory

    market = _market(c)
    organiser, rep = c.person("organiser"), c.person("rep_a")
    challenge = Challenge.objects.create(
        city=c.city_a,
        title="Buildings that waste heat",
        context="Old schools.",
        theme=c.city_a.track,
        functions=["energy"],
        review=Review.PUBLISHED,
        created_by=rep,
    )
    challenge.shared_by.add(c.city_b)
    today = timezone.localdate()
    lab = Lab.objects.create(
        programme=c.programme, title="Lab 2", held_on=today + dt.timedelta(days=30), picks_close_on=today
    )
    group = ProcurementGroup.objects.create(challenge=challenge, lab=lab, formed_by=rep)
    group.members.set([c.city_a, c.city_b])
    MarketConsultation.objects.create(
        challenge=challenge, question="Who heats schools?", closes_on=today + dt.timedelta(days=20), opened_by=rep
    )
    mentor_provider = Provider.objects.create(
        programme=c.programme,
        name=c.mentor_city.name,
        kind="city",
        country=c.mentor_city.country,
        city=c.mentor_city,
        review=Review.PUBLISHED,
        created_by=c.person("mentor"),
    )
    Solution.objects.create(
        programme=c.programme,
        provider=mentor_provider,
        city=c.mentor_city,
        name="Heat map",
        summary="Where heat goes.",
        functions=["energy"],
        cost_model="free",
        review=Review.PUBLISHED,
        created_by=c.person("mentor"),
    )
    own = Solution.objects.create(
        programme=c.programme,
        provider=market["provider"],
        name="Lumen cloud",
        summary="Lights from afar.",
        functions=["lighting"],
        cost_model="subscription",
        review=Review.PUBLISHED,
        created_by=organiser,
    )
    content = png(40, 30)
    image = {"content_type": "image/png", "width": 40, "height": 30, "size": len(content), "added_by": rep}
    logo = ProviderLogo(provider=market["provider"], **image)
    logo.file.save("logo.png", ContentFile(content))
    screenshot = Screenshot(solution=market["solution"], caption="The dashboard", **image)
    screenshot.file.save("shot.png", ContentFile(content))
    editor = Editor.objects.create(programme=c.programme, person=c.person("mentor"), appointed_by=organiser)
    member = ProviderMember.objects.create(
        provider=market["provider"], person=PersonFactory.create(), city=c.city_a, invited_by=rep
    )
    opportunity = Opportunity.objects.create(city=c.city_a, title="Light the streets", need="Dark streets")
    action = Action.objects.create(
        city=c.city_a,
        opportunity=opportunity,
        title="Install the lights",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 6, 30),
        status=ActionStatus.DONE,
    )
    c.governance_matrix = {
        "challenge": challenge,
        "own": own,
        "screenshot": screenshot,
        "editor": editor,
        "member": member,
        "action": action,
    }
    return c.governance_matrix


SOLUTION: Kwargs = lambda c: {"pk": _market(c)["solution"].pk}  # noqa: E731
DEPLOYMENT: Kwargs = lambda c: {"pk": _market(c)["deployment"].pk}  # noqa: E731
CHALLENGE: Kwargs = lambda c: {"pk": _market(c)["challenge"].pk}  # noqa: E731
PROVIDER: Kwargs = lambda c: {"pk": _market(c)["provider"].pk}  # noqa: E731
CITY_A: Kwargs = lambda c: (_market(c), {"pk": c.city_a.pk})[1]  # noqa: E731
SHARED_CHALLENGE: Kwargs = lambda c: {"pk": _governance(c)["challenge"].pk}  # noqa: E731
PROVIDER_SOLUTION: Kwargs = lambda c: {"pk": _governance(c)["own"].pk}  # noqa: E731
SCREENSHOT: Kwargs = lambda c: {"pk": _governance(c)["screenshot"].pk}  # noqa: E731
EDITOR: Kwargs = lambda c: {"pk": _governance(c)["editor"].pk}  # noqa: E731
MEMBER: Kwargs = lambda c: {"pk": _governance(c)["member"].pk}  # noqa: E731
DONE_ACTION: Kwargs = lambda c: {"pk": _governance(c)["action"].pk}  # noqa: E731
LOGO_PROVIDER: Kwargs = lambda c: (_governance(c), {"pk": _market(c)["provider"].pk})[1]  # noqa: E731
SCREENSHOT_SOLUTION: Kwargs = lambda c: (_governance(c), {"pk": _market(c)["solution"].pk})[1]  # noqa: E731
BAD_TOKEN: Kwargs = lambda c: {"token": "not-a-token"}  # noqa: E731


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

# City A's team (and the programme team) lead its challenges and write its solutions' images.
CITY_A_LEADERS = CITY_A_EDITORS
# Who changes Lumen's record: the programme team and city A's representative who added it.
LUMEN_EDITORS = {**_as(FORBIDDEN), "organiser": OK, "rep_a": OK}
# A completed action of city A: its team records it as a deployment; who opens city A but
# does not write for it gets 403, the others 404.
ACTION_WRITERS = CITY_A_WRITE

# A city's content moves in and out with its team (and the programme team); who sees the
# city but does not write for it gets 403.
CITY_A_MOVERS = {**CITY_A_PENDING, **dict.fromkeys(("thematic_expert", "transversal_expert", "mayor_a"), FORBIDDEN)}

ROUTES: Routes = {
    "marketplace:browse": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "marketplace:city_export": ("get", CITY_A, CITY_A_MOVERS),
    "marketplace:city_import": [("get", CITY_A, CITY_A_MOVERS), ("post", CITY_A, _as(BAD_FORM, CITY_A_MOVERS))],
    "marketplace:provider_export": ("get", PROVIDER, LUMEN_EDITORS),
    "marketplace:provider_import": [("get", PROVIDER, LUMEN_EDITORS), ("post", PROVIDER, _as(BAD_FORM, LUMEN_EDITORS))],
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
    # Governance: editors and merging.
    "marketplace:editors": ("get", PROGRAMME, TEAM_ONLY),
    "marketplace:editor_appoint": ("post", PROGRAMME, _as(BAD_FORM, TEAM_ONLY)),
    "marketplace:editor_remove": ("post", EDITOR, _as(REDIRECT, TEAM_ONLY)),
    "marketplace:merge": [("get", SOLUTION, TEAM_ONLY), ("post", SOLUTION, _as(BAD_FORM, TEAM_ONLY))],
    # A challenge as a joint-procurement group or a market consultation; an empty form is
    # refused with its errors for those who lead the challenge.
    "marketplace:group_form": ("post", SHARED_CHALLENGE, _as(BAD_FORM, CITY_A_LEADERS)),
    # Joining or leaving names a city one writes for; without one, 403.
    "marketplace:group_join": ("post", SHARED_CHALLENGE, _as(FORBIDDEN)),
    "marketplace:group_leave": ("post", SHARED_CHALLENGE, _as(FORBIDDEN)),
    "marketplace:consultation_open": ("post", SHARED_CHALLENGE, _as(BAD_FORM, CITY_A_LEADERS)),
    "marketplace:consultation_close": ("post", SHARED_CHALLENGE, _as(REDIRECT, CITY_A_LEADERS)),
    # Only who acts for a provider with a published solution answers: here the mentor city.
    "marketplace:consultation_respond": ("post", SHARED_CHALLENGE, {**_as(FORBIDDEN), "mentor": BAD_FORM}),
    "marketplace:action_deployment": [
        ("get", DONE_ACTION, ACTION_WRITERS),
        ("post", DONE_ACTION, {p: BAD_FORM if s == OK else s for p, s in ACTION_WRITERS.items()}),
    ],
    # A provider's record, logo, people, own solutions; screenshots.
    "marketplace:provider_edit": [
        ("get", LOGO_PROVIDER, LUMEN_EDITORS),
        ("post", LOGO_PROVIDER, _as(BAD_FORM, LUMEN_EDITORS)),
    ],
    "marketplace:logo": ("get", LOGO_PROVIDER, PROGRAMME_MEMBERS),
    "marketplace:logo_upload": ("post", LOGO_PROVIDER, _as(BAD_FORM, LUMEN_EDITORS)),
    "marketplace:logo_remove": ("post", LOGO_PROVIDER, _as(REDIRECT, LUMEN_EDITORS)),
    "marketplace:provider_people": ("get", LOGO_PROVIDER, WRITERS),
    "marketplace:provider_invite": ("post", LOGO_PROVIDER, WRITERS_BAD_FORM),
    "marketplace:provider_person_remove": ("post", MEMBER, _as(REDIRECT, CITY_A_EDITORS)),
    "marketplace:provider_invitation": [
        ("get", BAD_TOKEN, everyone(NOT_FOUND)),
        ("post", BAD_TOKEN, everyone(NOT_FOUND)),
    ],
    "marketplace:provider_solution_add": [
        ("get", LOGO_PROVIDER, TEAM_ONLY),
        ("post", LOGO_PROVIDER, _as(BAD_FORM, TEAM_ONLY)),
    ],
    "marketplace:provider_solution_edit": [
        ("get", PROVIDER_SOLUTION, TEAM_ONLY),
        ("post", PROVIDER_SOLUTION, _as(BAD_FORM, TEAM_ONLY)),
    ],
    # Already published: the programme team is told so on the page.
    "marketplace:provider_solution_submit": ("post", PROVIDER_SOLUTION, _as(REDIRECT, TEAM_ONLY)),
    "marketplace:screenshots": [
        ("get", SCREENSHOT_SOLUTION, CITY_A_EDITORS),
        ("post", SCREENSHOT_SOLUTION, _as(BAD_FORM, CITY_A_EDITORS)),
    ],
    "marketplace:screenshot": ("get", SCREENSHOT, PROGRAMME_MEMBERS),
    "marketplace:screenshot_remove": ("post", SCREENSHOT, _as(REDIRECT, CITY_A_EDITORS)),
}
