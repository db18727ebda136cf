"""Between the database and the optimiser: TAG formation runs and brain-date matching.

The optimiser (``icc.optimiser``) knows nothing of Django; this module turns the
edition's cities, preferences, capacities and rules into its inputs, keeps each run's
proposal as JSON, and turns an adopted proposal into TAGs with their sessions. The
optimiser's reasons are kept as codes and worded by ``icc.tags.wording`` where shown.

The setting ``TAG_FORMATION_CANDIDATES`` (default 8) is how many of its most relatable
mentors each city keeps in the smaller model that warm-starts a large formation run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from icc import optimiser
from icc.cities.models import CORE_TYPES, MENTOR_TYPES, City, CityType
from icc.core.models import AuditKind, record
from icc.journey.actions import generate_schedules
from icc.programmes.models import Programme
from icc.tags import actions, wording
from icc.tags.instances import LAND_BORDERS
from icc.tags.models import (
    BrainDate,
    FormationRun,
    Lab,
    Membership,
    MentorCapacity,
    MentorPreference,
    PairingRule,
    Pick,
    RuleKind,
    Tag,
)

if TYPE_CHECKING:
    from icc.accounts.models import Person

CORE = CORE_TYPES
MENTORS = MENTOR_TYPES


@transaction.atomic
def add_rule(*, rule: PairingRule, by: Person) -> PairingRule:
    rule.created_by = by
    rule.save()
    record(
        obj=rule.city,
        action=AuditKind.PAIRING_RULE_ADDED,
        actor=by,
        changes={"mentor": rule.mentor.name, "rule": rule.kind},
    )
    return rule


@transaction.atomic
def remove_rule(*, rule: PairingRule, by: Person) -> None:
    record(obj=rule.city, action=AuditKind.PAIRING_RULE_REMOVED, actor=by, changes={"mentor": rule.mentor.name})
    rule.delete()


@transaction.atomic
def set_capacities(*, capacities: dict[City, int], by: Person) -> None:
    for city, tags in capacities.items():
        MentorCapacity.objects.update_or_create(city=city, defaults={"tags": tags})
    record(
        obj=next(iter(capacities)).programme if capacities else by,
        action=AuditKind.MENTOR_CAPACITIES_SET,
        actor=by,
        changes={c.name: n for c, n in capacities.items()},
    )


def supply(programme: Programme) -> list[dict[str, Any]]:
    """Per theme: how many core cities want it and how many TAGs its primary mentors can lead."""
    cities = dict(
        City.objects.filter(programme=programme, type__in=CORE)
        .values("track")
        .annotate(n=Count("pk"))
        .values_list("track", "n")
    )
    capacities = dict(MentorCapacity.objects.filter(city__programme=programme).values_list("city_id", "tags"))
    rows = []
    mentors = list(City.objects.filter(programme=programme, type__in=MENTORS))
    for theme in programme.themes.all():
        own = [m for m in mentors if m.track_id == theme.pk]
        rows.append(
            {
                "theme": theme,
                "cities": cities.get(theme.pk, 0),
                "mentors": [m.name for m in own],
                "capacity": sum(capacities.get(m.pk, 1) for m in own),
            }
        )
    return rows


def _inputs(programme: Programme) -> tuple[list[optimiser.CoreCity], list[optimiser.MentorCity]]:
    preferences: dict[int, list[tuple[int, int]]] = {}
    for city_id, mentor_id, rank in MentorPreference.objects.filter(city__programme=programme).values_list(
        "city_id", "mentor_id", "rank"
    ):
        preferences.setdefault(city_id, []).append((rank, mentor_id))
    capacities = dict(MentorCapacity.objects.filter(city__programme=programme).values_list("city_id", "tags"))
    cities = (
        City.objects.filter(programme=programme)
        .select_related("track")
        .prefetch_related("networks", "secondary_themes")
        .order_by("pk")
    )
    core, mentors = [], []
    for city in cities:
        networks = frozenset(n.name for n in city.networks.all())
        theme = city.track.name if city.track else ""
        borders = LAND_BORDERS.get(city.country, frozenset())
        if city.type in CORE:
            core.append(
                optimiser.CoreCity(
                    id=str(city.pk),
                    name=city.name,
                    theme=theme,
                    preferences=tuple(str(m) for _rank, m in sorted(preferences.get(city.pk, []))),
                    population=city.population or 0,
                    country=city.country,
                    eu=city.type == CityType.EU_CORE,
                    networks=networks,
                    borders=borders,
                )
            )
        else:
            mentors.append(
                optimiser.MentorCity(
                    id=str(city.pk),
                    name=city.name,
                    primary_themes=frozenset([theme]) if theme else frozenset(),
                    secondary_themes=frozenset(t.name for t in city.secondary_themes.all()),
                    eu=city.type == CityType.EU_MENTOR,
                    capacity=capacities.get(city.pk, 1),
                    population=city.population or 0,
                    country=city.country,
                    networks=networks,
                    borders=borders,
                )
            )
    return core, mentors


@transaction.atomic
def run(*, programme: Programme, min_size: int, max_size: int, by: Person | None) -> FormationRun:
    """Run the optimiser on the edition as it stands and keep its proposal (not yet adopted)."""
    core, mentors = _inputs(programme)
    rules = list(PairingRule.objects.filter(city__programme=programme).values_list("city_id", "mentor_id", "kind"))
    problem = optimiser.TagProblem(
        cities=tuple(core),
        mentors=tuple(mentors),
        pins=frozenset((str(c), str(m)) for c, m, kind in rules if kind == RuleKind.PIN),
        forbids=frozenset((str(c), str(m)) for c, m, kind in rules if kind == RuleKind.FORBID),
        settings=optimiser.FormationSettings(
            min_size=min_size,
            max_size=max_size,
            time_limit=20.0,
            candidates=getattr(settings, "TAG_FORMATION_CANDIDATES", 8),
        ),
    )
    result = optimiser.form_tags(problem)
    names = {c.id: c.name for c in core} | {m.id: m.name for m in mentors}
    explanations = {p.city_id: p.explanation for p in result.placements}
    # Reasons are kept as codes ("reasons", "problems", "notes") and worded when shown; "explanation"
    # keeps the words of the run's own language for readers of the JSON.
    payload = {
        "status": result.status,
        "problems": wording.encode(result.reasons),
        "notes": wording.encode(result.notes),
        "tiers": [{"name": t.name, "value": t.value, "optimal": t.optimal} for t in result.tiers],
        "gap": result.gap,
        "seconds": round(result.seconds, 3),
        "groups": [
            {
                "mentor": int(group.mentor_id),
                "mentor_name": names.get(group.mentor_id, ""),
                "theme": group.theme,
                "cities": [
                    {
                        "id": int(c),
                        "name": names.get(c, ""),
                        "explanation": wording.describe_all(explanations.get(c, ())),
                        "reasons": wording.encode(explanations.get(c, ())),
                    }
                    for c in sorted(group.city_ids, key=lambda c: names.get(c, ""))
                ],
            }
            for group in result.groups
        ],
    }
    formation_run = FormationRun.objects.create(
        programme=programme, min_size=min_size, max_size=max_size, status=result.status, result=payload, created_by=by
    )
    record(
        obj=programme,
        action=AuditKind.TAG_FORMATION_RUN,
        actor=by,
        changes={"run": formation_run.pk, "status": result.status},
    )
    return formation_run


STATUS_LABELS = {
    "optimal": _("Optimal: no better grouping exists under these rules."),
    "feasible": _("Good, not proven optimal"),
    "infeasible": _("No grouping keeps every rule"),
}


def grouping_in_words(status: str) -> str:
    """How good an adopted TAG grouping is, in the words of the cities and mentors in it."""
    if status == "optimal":
        return str(_("This grouping is the best possible under the programme's rules."))
    if status == "feasible":
        return str(
            _(
                "This grouping keeps all the programme's rules; a better one may exist, but the search found none "
                "in the time it had."
            )
        )
    return ""


def brain_dates_in_words(status: str) -> str:
    """How well a lab's brain dates match the cities' picks, in plain words."""
    if status == "optimal":
        return str(_("These brain dates are the best possible match of the cities' picks."))
    if status == "feasible":
        return str(
            _(
                "These brain dates match the cities' picks well; a better match may exist, but the search found none "
                "in the time it had."
            )
        )
    return ""


def _gap(gap: float | None) -> str:
    return "—" if gap is None else _("%(gap).2f %%") % {"gap": 100 * gap}


def run_figures(result: dict[str, Any]) -> str:
    """The optimiser's own figures of a run, for the programme team."""
    if not result.get("tiers"):
        return ""
    summary = "; ".join(f"{t['name']} {t['value']}" for t in result["tiers"])
    summary += " · " + _("gap to the optimum %(gap)s") % {"gap": _gap(result.get("gap"))}
    return summary + " · " + _("%(seconds)s s") % {"seconds": result.get("seconds", "—")}


def brain_date_figures(matching_result: dict[str, Any]) -> str:
    """The optimiser's own figures of a lab's brain dates, for the programme team."""
    if not matching_result.get("status"):
        return ""
    return _("%(status)s · mutual interest %(objective)s · gap to the optimum %(gap)s") % {
        "status": matching_result["status"],
        "objective": matching_result.get("objective", "—"),
        "gap": _gap(matching_result.get("gap")),
    }


def present(run: FormationRun) -> dict[str, Any]:
    """What the run page shows: status in words, groups with theme names and explanations."""
    result = run.result
    status = result.get("status", run.status)
    label = str(STATUS_LABELS.get(status, status))
    if status == "feasible" and result.get("gap") is not None:
        label = _("Good, within %(gap).2f %% of the optimum") % {"gap": 100 * result["gap"]}
    return {
        "status_label": label,
        "summary": run_figures(result),
        "problems": [
            wording.worded([problem]) if isinstance(problem, dict) else problem
            for problem in result.get("problems", [])
        ],
        "groups": [
            {
                "mentor": group["mentor_name"],
                "theme": group["theme"],
                "members": [
                    {**member, "explanation": wording.worded(member.get("reasons", member.get("explanation", "")))}
                    for member in group["cities"]
                ],
            }
            for group in result.get("groups", [])
        ],
    }


def changes_on_adoption(run: FormationRun) -> dict[str, Any]:
    """What adopting ``run`` would change against the TAGs formed now.

    A proposed group continues a current TAG when it has the same mentor and theme and
    shares cities with it (the largest overlaps first); the other groups are new TAGs and
    the current TAGs left over are dissolved. A city moves when its group continues
    another TAG than its own, or none.
    """
    groups = run.result.get("groups", [])
    current = list(
        Tag.objects.filter(programme=run.programme)
        .select_related("mentor", "theme")
        .prefetch_related("memberships__city")
        .order_by("number")
    )
    members = {tag.pk: {m.city_id for m in tag.memberships.all()} for tag in current}
    proposed = [{member["id"] for member in group["cities"]} for group in groups]
    pairs = sorted(
        (
            (len(proposed[index] & members[tag.pk]), index, tag.pk)
            for index, group in enumerate(groups)
            for tag in current
            if group["mentor"] == tag.mentor_id
            and group["theme"] == (tag.theme.name if tag.theme else "")
            and proposed[index] & members[tag.pk]
        ),
        reverse=True,
    )
    continues: dict[int, int] = {}  # proposed index → current TAG
    for _overlap, index, tag_pk in pairs:
        if index not in continues and tag_pk not in continues.values():
            continues[index] = tag_pk

    def proposed_label(index: int) -> str:
        group = groups[index]
        return _("TAG %(number)s: %(mentor)s · %(theme)s") % {
            "number": index + 1,
            "mentor": group["mentor_name"],
            "theme": group["theme"] or "—",
        }

    def current_label(tag: Tag) -> str:
        return _("TAG %(number)s: %(mentor)s · %(theme)s") % {
            "number": tag.number,
            "mentor": tag.mentor.name,
            "theme": tag.theme.name if tag.theme else "—",
        }

    current_of = {city_id: tag for tag in current for city_id in members[tag.pk]}
    names = {m.city_id: m.city.name for tag in current for m in tag.memberships.all()}
    names |= {member["id"]: member["name"] for group in groups for member in group["cities"]}
    moves = []
    kept = 0
    placed = {city_id: index for index, ids in enumerate(proposed) for city_id in ids}
    for city_id in sorted(set(placed) | set(current_of), key=lambda c: names.get(c, "")):
        was = current_of.get(city_id)
        place = placed.get(city_id)
        if was is not None and place is not None and continues.get(place) == was.pk:
            kept += 1
            continue
        moves.append(
            {
                "city": names.get(city_id, ""),
                "from": current_label(was) if was else "",
                "to": proposed_label(place) if place is not None else "",
            }
        )
    return {
        "current": len(current),
        "kept": kept,
        "moves": moves,
        "new": [proposed_label(index) for index in range(len(groups)) if index not in continues],
        "dissolved": [current_label(tag) for tag in current if tag.pk not in continues.values()],
        "continued": [
            {"from": current_label(tag), "to": proposed_label(index)}
            for index, tag_pk in sorted(continues.items())
            for tag in current
            if tag.pk == tag_pk
        ],
    }


def _stored_explanation(member: dict[str, Any]) -> str:
    """What a membership keeps of why its city is in the TAG: the reasons as codes, or a run's older text."""
    reasons = wording.decode(member.get("reasons"))
    return wording.store(reasons) if reasons is not None else str(member.get("explanation", ""))


@transaction.atomic
def adopt(*, run: FormationRun, by: Person | None) -> int:
    """Replace the edition's TAGs by the run's proposal and schedule each TAG's sessions."""
    programme = run.programme
    groups = run.result.get("groups", [])
    if run.status == "infeasible" or not groups:
        raise ValidationError(_("This run found no grouping to adopt."))
    cities = {c.pk: c for c in City.objects.filter(programme=programme)}
    wanted = {member["id"] for group in groups for member in group["cities"]} | {g["mentor"] for g in groups}
    if not wanted <= cities.keys():
        raise ValidationError(_("Cities changed since this run: run the optimiser again."))
    themes = {t.name: t for t in programme.themes.all()}
    Tag.objects.filter(programme=programme).delete()
    for number, group in enumerate(groups, start=1):
        tag = Tag.objects.create(
            programme=programme,
            number=number,
            mentor=cities[group["mentor"]],
            theme=themes.get(group["theme"]),
            run=run,
        )
        Membership.objects.bulk_create(
            Membership(tag=tag, city=cities[member["id"]], explanation=_stored_explanation(member))
            for member in group["cities"]
        )
        actions.schedule_sessions(tag=tag)
    # The TAGs' own sessions replace the journey's programme-wide TAG session dates.
    generate_schedules(programme=programme, cities=[])
    FormationRun.objects.filter(programme=programme).update(adopted_at=None)
    run.adopted_at = timezone.now()
    run.save(update_fields=["adopted_at"])
    record(obj=programme, action=AuditKind.TAGS_FORMED, actor=by, changes={"run": run.pk, "tags": len(groups)})
    return len(groups)


@transaction.atomic
def match_brain_dates(*, lab: Lab, by: Person | None) -> int:
    """Group the cities that picked projects into brain dates of mutual interest, replacing earlier ones.

    Brain dates whose takeaways were recorded are kept: forming them again is refused."""
    recorded = BrainDate.objects.filter(lab=lab).exclude(takeaway_1="", takeaway_2="", takeaway_3="")
    if recorded.exists():
        raise ValidationError(
            _(
                "Takeaways are recorded for %(dates)s: the brain dates of this lab have taken place and are not "
                "formed again."
            )
            % {"dates": ", ".join(str(b) for b in recorded)}
        )
    picks: dict[int, list[int]] = {}
    for city_id, project_city in (
        Pick.objects.filter(lab=lab).order_by("city_id", "rank").values_list("city_id", "project__city_id")
    ):
        targets = picks.setdefault(city_id, [])
        if project_city not in targets:
            targets.append(project_city)
    for city_id in {c for targets in picks.values() for c in targets}:
        picks.setdefault(city_id, [])
    names = dict(City.objects.filter(pk__in=picks).values_list("pk", "name"))
    problem = optimiser.BrainDateProblem(
        cities=tuple(
            optimiser.LabCity(id=str(c), name=names[c], picks=tuple(str(t) for t in targets))
            for c, targets in sorted(picks.items())
        ),
        settings=optimiser.BrainDateSettings(min_size=lab.min_group, max_size=lab.max_group, time_limit=8.0),
    )
    result = optimiser.match_brain_dates(problem)
    if result.status == "infeasible":
        raise ValidationError(
            [wording.describe(reason) for reason in result.reasons] or [_("No grouping keeps the size limits.")]
        )
    BrainDate.objects.filter(lab=lab).delete()
    for number, group in enumerate(result.groups, start=1):
        brain_date = BrainDate.objects.create(lab=lab, number=number, explanation=wording.store(group.explanation))
        brain_date.cities.set([int(c) for c in group.city_ids])
    lab.matching = {"status": result.status, "objective": result.objective, "gap": result.gap}
    lab.save(update_fields=["matching"])
    record(obj=lab, action=AuditKind.BRAIN_DATES_FORMED, actor=by, changes={"groups": len(result.groups)})
    return len(result.groups)
