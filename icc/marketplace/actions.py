"""Changes in the marketplace: writing, submitting and reviewing, deployments claimed
and confirmed, challenges shared, reports, duplicates merged, editors appointed.

Every change is audited; who may do what is decided in :mod:`icc.marketplace.access`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.core.models import AuditKind, record
from icc.marketplace.access import speaks_for_city
from icc.marketplace.models import (
    Challenge,
    CityProfile,
    Deployment,
    Editor,
    Facet,
    FacetKind,
    Report,
    Review,
    Reviewed,
    Solution,
)
from icc.marketplace.vocabulary import sdg_goal

if TYPE_CHECKING:
    import datetime as dt

    from icc.accounts.models import Person
    from icc.cities.models import City
    from icc.programmes.models import Programme
    from icc.roadmaps.models import KPI, Action


def duplicate_of(solution: Solution, *, among: Any = None) -> Solution | None:
    """Another solution of the same provider with the same name (whatever the letter case),
    among ``among`` (all solutions when None)."""
    return (
        (Solution.objects.all() if among is None else among)
        .filter(provider_id=solution.provider_id, name__iexact=solution.name.strip())
        .exclude(pk=solution.pk)
        .first()
    )


@transaction.atomic
def save_solution(*, solution: Solution, themes: Any, by: Person) -> Solution:
    """Store a solution's words; a published one goes back to review when they change."""
    twin = duplicate_of(solution)
    if twin is not None:
        # Not named: it may be another city's draft.
        raise ValidationError(
            _(
                "%(provider)s already offers a solution of this name: add your deployment to it, "
                "or ask the reviewers to merge the two."
            )
            % {"provider": solution.provider.name},
            code="duplicate",
        )
    created = solution.pk is None
    if created:
        solution.created_by = by
    elif solution.review == Review.PUBLISHED:
        solution.review = Review.SUBMITTED
    solution.updated_at = timezone.now()
    solution.full_clean(exclude=["created_by"])
    solution.save()
    solution.themes.set(themes)
    index_facets(solution)
    record(obj=solution, action=AuditKind.MARKET_WRITTEN, actor=by, changes={"created": created})
    return solution


def facets_of(solution: Solution) -> list[Facet]:
    codes = [(FacetKind.FUNCTION, c) for c in solution.functions]
    codes += [(FacetKind.MIM, c) for c in solution.mims]
    codes += [(FacetKind.DATA_MODEL, c) for c in solution.data_models]
    codes += [(FacetKind.SDG, str(sdg_goal(c))) for c in solution.sdgs]
    return [Facet(solution=solution, kind=kind, code=code[:64]) for kind, code in dict.fromkeys(codes)]


def index_facets(solution: Solution) -> None:
    Facet.objects.filter(solution=solution).delete()
    Facet.objects.bulk_create(facets_of(solution), ignore_conflicts=True)


@transaction.atomic
def save_profile(*, profile: CityProfile, by: Person) -> CityProfile:
    if profile.pk is None:
        profile.created_by = by
    elif profile.review == Review.PUBLISHED:
        profile.review = Review.SUBMITTED
    profile.updated_at = timezone.now()
    profile.full_clean(exclude=["created_by"])
    profile.save()
    record(obj=profile, action=AuditKind.MARKET_WRITTEN, actor=by)
    return profile


@transaction.atomic
def save_challenge(*, challenge: Challenge, by: Person) -> Challenge:
    if challenge.pk is None:
        challenge.created_by = by
    elif challenge.review == Review.PUBLISHED:
        challenge.review = Review.SUBMITTED
    challenge.updated_at = timezone.now()
    challenge.full_clean(exclude=["created_by", "shared_by"])
    challenge.save()
    record(obj=challenge, action=AuditKind.MARKET_WRITTEN, actor=by)
    return challenge


def submit(*, item: Reviewed, by: Person) -> None:
    if item.review not in (Review.DRAFT, Review.REFUSED):
        raise ValidationError(_("This is already waiting for review or published."))
    item.review = Review.SUBMITTED
    item.save(update_fields=["review"])
    record(obj=item, action=AuditKind.MARKET_SUBMITTED, actor=by)


@transaction.atomic
def decide(*, item: Reviewed, publish: bool, reason: str, by: Person) -> None:
    """Publish what waits for review, or refuse it with the reason its authors will read."""
    reason = reason.strip()
    if item.review != Review.SUBMITTED:
        raise ValidationError(_("Only what waits for review can be published or refused."))
    if not publish and not reason:
        raise ValidationError({"reason": _("Say why, so that the authors can put it right.")})
    item.review = Review.PUBLISHED if publish else Review.REFUSED
    item.refusal = "" if publish else reason[:500]
    item.reviewed_by = by
    item.reviewed_at = timezone.now()
    item.save(update_fields=["review", "refusal", "reviewed_by", "reviewed_at"])
    kind = AuditKind.MARKET_PUBLISHED if publish else AuditKind.MARKET_REFUSED
    record(obj=item, action=kind, actor=by, changes={"reason": item.refusal} if not publish else {})


@transaction.atomic
def claim_deployment(
    *,
    solution: Solution,
    city: City,
    started_on: dt.date,
    scale: str,
    outcome: str,
    kpi: KPI | None,
    action: Action | None,
    by: Person,
) -> Deployment:
    """Record that ``city`` deploys ``solution``; confirmed at once when its own team says so."""
    if city.programme_id != solution.programme_id:
        raise ValidationError(_("Choose a city of this programme."))
    if (kpi is not None and kpi.city_id != city.pk) or (action is not None and action.city_id != city.pk):
        raise ValidationError(_("The KPI and the action must be the deploying city's own."))
    if Deployment.objects.filter(solution=solution, city=city).exists():
        raise ValidationError(_("%(city)s already has a deployment of this solution.") % {"city": city.name})
    own = speaks_for_city(by, city)
    now = timezone.now()
    deployment = Deployment(
        solution=solution,
        city=city,
        started_on=started_on,
        scale=scale.strip(),
        outcome=outcome.strip(),
        kpi=kpi,
        action=action,
        claimed_by=by,
        confirmed_by=by if own else None,
        confirmed_at=now if own else None,
    )
    deployment.full_clean()
    deployment.save()
    record(obj=solution, action=AuditKind.DEPLOYMENT_CLAIMED, actor=by, changes={"city": city.name, "confirmed": own})
    return deployment


def confirm_deployment(*, deployment: Deployment, by: Person) -> Deployment:
    if deployment.is_confirmed:
        return deployment
    deployment.confirmed_by = by
    deployment.confirmed_at = timezone.now()
    deployment.save(update_fields=["confirmed_by", "confirmed_at"])
    record(
        obj=deployment.solution, action=AuditKind.DEPLOYMENT_CONFIRMED, actor=by, changes={"city": deployment.city.name}
    )
    return deployment


def share_challenge(*, challenge: Challenge, city: City, by: Person) -> bool:
    """ "We have this too": ``city`` joins the challenge (or leaves it); True if it is in now."""
    if city.pk == challenge.city_id:
        raise ValidationError(_("This is your own city's challenge."))
    if challenge.shared_by.filter(pk=city.pk).exists():
        challenge.shared_by.remove(city)
        return False
    challenge.shared_by.add(city)
    record(obj=challenge, action=AuditKind.CHALLENGE_SHARED, actor=by, changes={"city": city.name})
    return True


def report(*, solution: Solution, reason: str, by: Person) -> Report:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong.")})
    found = Report.objects.create(solution=solution, reason=reason[:500], reported_by=by)
    record(obj=solution, action=AuditKind.MARKET_REPORTED, actor=by)
    return found


@transaction.atomic
def merge(*, keep: Solution, duplicate: Solution, by: Person) -> Solution:
    """Fold ``duplicate`` into ``keep``: its deployments move over (one per city), then it goes."""
    if keep.pk == duplicate.pk or keep.programme_id != duplicate.programme_id:
        raise ValidationError(_("Choose two different solutions of this programme."))
    cities = set(keep.deployments.values_list("city_id", flat=True))
    moved = duplicate.deployments.exclude(city_id__in=cities).update(solution=keep)
    record(obj=keep, action=AuditKind.MARKET_MERGED, actor=by, changes={"merged": duplicate.name, "deployments": moved})
    duplicate.delete()
    return keep


def appoint_editor(*, programme: Programme, person: Person, by: Person) -> Editor:
    editor, _created = Editor.objects.get_or_create(programme=programme, person=person, defaults={"appointed_by": by})
    record(obj=programme, action=AuditKind.MARKET_EDITOR_APPOINTED, actor=by, changes={"editor": person.full_name})
    return editor
