"""Changes in the marketplace: writing, submitting and reviewing, deployments claimed
and confirmed, challenges shared, reports, duplicates merged, editors appointed.

Every change is audited; who may do what is decided in :mod:`icc.marketplace.access`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from icc.accounts.models import Person, normalise_address
from icc.core.models import AuditKind, record
from icc.marketplace import images
from icc.marketplace.access import speaks_for_city
from icc.marketplace.models import (
    CONSULTATION_MAX_DAYS,
    Challenge,
    CityProfile,
    Deployment,
    Editor,
    Facet,
    FacetKind,
    MarketConsultation,
    MarketResponse,
    ProcurementGroup,
    Provider,
    ProviderLogo,
    ProviderMember,
    Report,
    Review,
    Reviewed,
    Screenshot,
    Solution,
    StoredImage,
)
from icc.marketplace.vocabulary import ProviderKind, sdg_goal

if TYPE_CHECKING:
    from django.core.files import File

    from icc.cities.models import City
    from icc.programmes.models import Programme
    from icc.roadmaps.models import KPI, Action
    from icc.tags.models import Lab

MAX_SCREENSHOTS = 5


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
    """Fold ``duplicate`` into ``keep``, then delete it: its deployments move over (one per
    city: a confirmed one wins over one still waiting, otherwise ``keep``'s stays), and so do
    its reports, its answers to market consultations and, up to the limit, its screenshots."""
    if keep.pk == duplicate.pk or keep.programme_id != duplicate.programme_id:
        raise ValidationError(_("Choose two different solutions of this programme."))
    kept = {d.city_id: d for d in keep.deployments.all()}
    moved = dropped = 0
    for deployment in duplicate.deployments.all():
        present = kept.get(deployment.city_id)
        if present is not None and (present.is_confirmed or not deployment.is_confirmed):
            dropped += 1  # goes with the duplicate
            continue
        if present is not None:
            present.delete()
            dropped += 1
        deployment.solution = keep
        deployment.save(update_fields=["solution"])
        moved += 1
    reports = Report.objects.filter(solution=duplicate).update(solution=keep)
    answered = set(keep.market_responses.values_list("consultation_id", flat=True))
    responses = duplicate.market_responses.exclude(consultation_id__in=answered).update(solution=keep)
    room = max(0, MAX_SCREENSHOTS - keep.screenshots.count())
    shots = list(duplicate.screenshots.values_list("pk", flat=True)[:room])
    Screenshot.objects.filter(pk__in=shots).update(solution=keep)
    _delete_files_on_commit(list(duplicate.screenshots.exclude(pk__in=shots)))
    record(
        obj=keep,
        action=AuditKind.MARKET_MERGED,
        actor=by,
        changes={
            "merged": duplicate.name,
            "merged_id": duplicate.pk,
            "deployments": moved,
            "deployments_dropped": dropped,
            "reports": reports,
            "responses": responses,
            "screenshots": len(shots),
        },
    )
    duplicate.delete()
    return keep


def appoint_editor(*, programme: Programme, person: Person, by: Person) -> Editor:
    editor, _created = Editor.objects.get_or_create(programme=programme, person=person, defaults={"appointed_by": by})
    record(obj=programme, action=AuditKind.MARKET_EDITOR_APPOINTED, actor=by, changes={"editor": person.full_name})
    return editor


@transaction.atomic
def remove_editor(*, editor: Editor, by: Person) -> None:
    record(
        obj=editor.programme,
        action=AuditKind.ROLE_REMOVED,
        actor=by,
        changes={"marketplace_editor": editor.person.full_name or editor.person.email},
    )
    editor.delete()


# A challenge taken further: a joint-procurement group, a market consultation --------------


def _day(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


@transaction.atomic
def form_procurement_group(*, challenge: Challenge, lab: Lab, model: str, by: Person) -> ProcurementGroup:
    """The challenge's city and the cities that share it become a group buying together,
    taken to ``lab`` of the same programme."""
    if not challenge.is_published:
        raise ValidationError(_("Only a published challenge can become a joint-procurement group."))
    if lab.programme_id != challenge.city.programme_id:
        raise ValidationError({"lab": _("Choose a cross-city lab of this programme.")})
    if ProcurementGroup.objects.filter(challenge=challenge).exists():
        raise ValidationError(_("This challenge is a joint-procurement group already."))
    sharing = list(challenge.shared_by.all())
    if not sharing:
        raise ValidationError(
            _("No other city has said it has this need too: buying together takes at least two cities.")
        )
    group = ProcurementGroup(challenge=challenge, lab=lab, model=model, formed_by=by)
    group.full_clean(exclude=["formed_by"])
    group.save()
    group.members.set([challenge.city, *sharing])
    record(
        obj=group,
        action=AuditKind.CREATED,
        actor=by,
        changes={"lab": lab.title, "model": model, "members": sorted(c.name for c in [challenge.city, *sharing])},
    )
    return group


@transaction.atomic
def join_procurement_group(*, group: ProcurementGroup, city: City, by: Person) -> None:
    """A city that has said "we have this too" joins the group."""
    if group.members.filter(pk=city.pk).exists():
        raise ValidationError(_("%(city)s is in the group already.") % {"city": city.name})
    if not group.challenge.shared_by.filter(pk=city.pk).exists():
        raise ValidationError(_("Say that %(city)s has this need too before joining the group.") % {"city": city.name})
    group.members.add(city)
    record(obj=group, action=AuditKind.CHANGED, actor=by, changes={"joined": city.name})


@transaction.atomic
def leave_procurement_group(*, group: ProcurementGroup, city: City, by: Person) -> None:
    if city.pk == group.challenge.city_id:
        raise ValidationError(_("The city whose challenge it is leads the group and cannot leave it."))
    if not group.members.filter(pk=city.pk).exists():
        raise ValidationError(_("%(city)s is not in the group.") % {"city": city.name})
    group.members.remove(city)
    record(obj=group, action=AuditKind.CHANGED, actor=by, changes={"left": city.name})


def consultation_dates(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and the last closing date a consultation opened today may take."""
    today = today or timezone.localdate()
    return today + dt.timedelta(days=1), today + dt.timedelta(days=CONSULTATION_MAX_DAYS)


@transaction.atomic
def open_consultation(*, challenge: Challenge, question: str, closes_on: dt.date, by: Person) -> MarketConsultation:
    """Ask the market about a published challenge until ``closes_on``."""
    if not challenge.is_published:
        raise ValidationError(_("Only a published challenge can be put to the market."))
    if MarketConsultation.objects.filter(challenge=challenge).exists():
        raise ValidationError(_("This challenge has had its market consultation already."))
    first, last = consultation_dates()
    if not first <= closes_on <= last:
        raise ValidationError(
            {
                "closes_on": _("Choose a closing date from %(first)s to %(last)s: providers need time to answer.")
                % {"first": _day(first), "last": _day(last)}
            }
        )
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Say what the city asks the market.")})
    consultation = MarketConsultation(challenge=challenge, question=question, closes_on=closes_on, opened_by=by)
    consultation.full_clean(exclude=["opened_by"])
    consultation.save()
    record(obj=challenge, action=AuditKind.CONSULTATION_OPENED, actor=by, changes={"closes_on": str(closes_on)})
    return consultation


@transaction.atomic
def close_consultation(*, consultation: MarketConsultation, by: Person) -> None:
    if not consultation.is_open:
        raise ValidationError(_("The consultation is closed already."))
    consultation.closed_at = timezone.now()
    consultation.closed_by = by
    consultation.save(update_fields=["closed_at", "closed_by"])
    record(
        obj=consultation.challenge,
        action=AuditKind.CONSULTATION_CLOSED,
        actor=by,
        changes={"responses": consultation.responses.count()},
    )


@transaction.atomic
def respond_to_consultation(
    *, consultation: MarketConsultation, solution: Solution, note: str, by: Person
) -> MarketResponse:
    """A provider answers with one of its published solutions and a short note."""
    locked = MarketConsultation.objects.select_for_update().get(pk=consultation.pk)
    if not locked.is_open:
        day = locked.closed_at.date() if locked.closed_at else locked.closes_on
        raise ValidationError(_("The consultation closed on %(day)s: it takes no more responses.") % {"day": _day(day)})
    if not solution.is_published or solution.programme_id != consultation.challenge.city.programme_id:
        raise ValidationError({"solution": _("Answer with a published solution of this marketplace.")})
    if MarketResponse.objects.filter(consultation=locked, solution=solution).exists():
        raise ValidationError({"solution": _("%(name)s has answered already.") % {"name": solution.name}})
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say in a few words how the solution answers the need.")})
    response = MarketResponse(consultation=locked, solution=solution, note=note, responded_by=by)
    response.full_clean(exclude=["responded_by"])
    response.save()
    record(
        obj=consultation.challenge,
        action=AuditKind.SUBMITTED,
        actor=by,
        changes={"market_response": solution.name, "provider": solution.provider.name},
    )
    return response


# Deployments from the roadmap ----------------------------------------------------------------


def claim_deployment_of_action(
    *,
    action: Action,
    solution: Solution,
    started_on: dt.date,
    scale: str,
    outcome: str,
    kpi: KPI | None,
    by: Person,
) -> Deployment:
    """A completed roadmap action that deployed ``solution`` becomes its deployment record
    (confirmed at once when the city's representative or mayor records it)."""
    from icc.roadmaps.models import ActionStatus

    if action.status != ActionStatus.DONE:
        raise ValidationError(_("Only a completed action can be recorded as a deployment."))
    if not solution.is_published or solution.programme_id != action.city.programme_id:
        raise ValidationError({"solution": _("Choose a published solution of the marketplace.")})
    if kpi is not None and not action.kpis.filter(pk=kpi.pk).exists():
        raise ValidationError({"kpi": _("Choose one of the KPIs this action should move.")})
    return claim_deployment(
        solution=solution,
        city=action.city,
        started_on=started_on,
        scale=scale,
        outcome=outcome,
        kpi=kpi,
        action=action,
        by=by,
    )


# The people of a provider --------------------------------------------------------------------


@transaction.atomic
def invite_provider_person(
    *, provider: Provider, email: str, full_name: str, city: City | None, by: Person
) -> ProviderMember:
    """Let someone act for ``provider``: an account is made for a new address, and an e-mail
    goes out (a link to choose a password for a new account)."""
    from icc.cities.actions import invite_person
    from icc.marketplace.tasks import send_provider_invitation

    if provider.kind == ProviderKind.CITY:
        raise ValidationError(_("A city acts for itself through its own team: invite its people to the city."))
    email = normalise_address(email)
    existing = Person.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active:
        raise ValidationError({"email": _("The account of this address is closed: ask the programme team.")})
    if existing is not None and ProviderMember.objects.filter(provider=provider, person=existing).exists():
        raise ValidationError(
            {"email": _("%(email)s acts for %(provider)s already.") % {"email": email, "provider": provider.name}}
        )
    if existing is None and not full_name.strip():
        raise ValidationError({"full_name": _("Give the name of the person you invite.")})
    person = existing or invite_person(
        programme=provider.programme, email=email, full_name=full_name, specs=[], by=by, send=False
    )
    member = ProviderMember.objects.create(provider=provider, person=person, city=city, invited_by=by)
    if not person.has_usable_password():
        person.invited_at = timezone.now()
        person.save(update_fields=["invited_at"])
    record(
        obj=provider,
        action=AuditKind.ROLE_ADDED,
        actor=by,
        changes={"acts_for": provider.name, "person": person.email, "invited_by_city": city.name if city else ""},
    )
    transaction.on_commit(lambda: send_provider_invitation.enqueue(member_id=member.pk))
    return member


@transaction.atomic
def remove_provider_person(*, member: ProviderMember, by: Person) -> None:
    record(
        obj=member.provider,
        action=AuditKind.ROLE_REMOVED,
        actor=by,
        changes={"acts_for": member.provider.name, "person": member.person.email},
    )
    member.delete()


@transaction.atomic
def save_provider(*, provider: Provider, changed: list[str], by: Person) -> Provider:
    """A provider's record of facts changes at once; the audit trail keeps what changed."""
    provider.full_clean(exclude=["created_by"])
    provider.updated_at = timezone.now()
    provider.save()
    record(obj=provider, action=AuditKind.CHANGED, actor=by, changes={"fields": changed})
    return provider


# Images --------------------------------------------------------------------------------------


def _delete_files_on_commit(stored: list[StoredImage]) -> None:
    names = [image.file.name for image in stored if image.file.name]
    for image in stored:
        image.delete()
    if names:
        storage = Screenshot._meta.get_field("file").storage

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)


def _store(image: StoredImage, upload: File, facts: images.ImageFacts) -> None:
    image.content_type = facts.content_type
    image.width, image.height, image.size = facts.width, facts.height, facts.size
    image.full_clean(exclude=["file", "added_by"])
    image.file.save(f"image.{facts.extension}", upload, save=False)
    image.save()


@transaction.atomic
def set_logo(*, provider: Provider, upload: File, by: Person) -> ProviderLogo:
    """Check the image, then store it as the provider's logo in place of the one before."""
    facts = images.check_image(upload, images.LOGO)
    _delete_files_on_commit(list(ProviderLogo.objects.filter(provider=provider)))
    logo = ProviderLogo(provider=provider, added_by=by)
    _store(logo, upload, facts)
    record(obj=provider, action=AuditKind.CHANGED, actor=by, changes={"logo": f"{facts.width}×{facts.height}"})
    return logo


@transaction.atomic
def remove_logo(*, provider: Provider, by: Person) -> None:
    _delete_files_on_commit(list(ProviderLogo.objects.filter(provider=provider)))
    record(obj=provider, action=AuditKind.CHANGED, actor=by, changes={"logo": None})


@transaction.atomic
def add_screenshot(*, solution: Solution, upload: File, caption: str, by: Person) -> Screenshot:
    """Check the image and add it to the solution; a published solution goes back to review."""
    locked = Solution.objects.select_for_update().get(pk=solution.pk)
    if locked.screenshots.count() >= MAX_SCREENSHOTS:
        raise ValidationError(
            _("A solution shows at most %(limit)s screenshots: remove one first.") % {"limit": MAX_SCREENSHOTS}
        )
    caption = caption.strip()
    if not caption:
        raise ValidationError({"caption": _("Say what the screenshot shows, for those who cannot see it.")})
    facts = images.check_image(upload, images.SCREENSHOT)
    screenshot = Screenshot(solution=locked, caption=caption, added_by=by)
    _store(screenshot, upload, facts)
    if locked.review == Review.PUBLISHED:
        locked.review = Review.SUBMITTED
        locked.updated_at = timezone.now()
        locked.save(update_fields=["review", "updated_at"])
        solution.review = locked.review
    record(obj=locked, action=AuditKind.MARKET_WRITTEN, actor=by, changes={"screenshot": caption})
    return screenshot


@transaction.atomic
def remove_screenshot(*, screenshot: Screenshot, by: Person) -> None:
    record(obj=screenshot.solution, action=AuditKind.MARKET_WRITTEN, actor=by, changes={"removed": screenshot.caption})
    _delete_files_on_commit([screenshot])
