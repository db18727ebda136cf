"""What the ecosystem pages read, in a fixed number of queries however big the ecosystem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from icc.cities.models import City, Organisation, Sector
from icc.ecosystem import mapping, vocabulary
from icc.ecosystem.models import WEAK_COMMITMENT, Contact, Insight, Interview, InterviewStatus
from icc.programmes.models import Theme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

# The seeds' list of the kinds of organisation a local ecosystem should hold; "other" is no gap.
MAPPED_SECTORS = [value for value, _label in Sector.choices if value != Sector.OTHER]


def organisations(city: City) -> list[Organisation]:
    """The city's organisations with their mapping, contacts and interview counts (three queries)."""
    return list(
        Organisation.objects.filter(city=city)
        .select_related("ecosystem")
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk")))
        .annotate(
            interviews_held=Count("interviews", filter=Q(interviews__status=InterviewStatus.HELD)),
            interviews_planned=Count("interviews", filter=Q(interviews__status=InterviewStatus.PLANNED)),
        )
        .order_by("name")
    )


def profile(organisation: Organisation) -> Any:
    """The organisation's mapping, or None if it has not been mapped yet."""
    try:
        return organisation.ecosystem
    except Organisation.ecosystem.RelatedObjectDoesNotExist:
        return None


def gaps(rows: list[Organisation]) -> list[tuple[str, mapping.Gap]]:
    labels = dict(Sector.choices)
    found = mapping.gaps(
        MAPPED_SECTORS,
        [(o.sector, p.commitment if (p := profile(o)) else None) for o in rows],
        WEAK_COMMITMENT,
    )
    return [(str(labels[gap.sector]), gap) for gap in found]


def interviews(city: City) -> QuerySet[Interview]:
    """The city's interviews for a list: never their notes (two queries with the insight counts)."""
    return (
        Interview.objects.filter(city=city)
        .select_related("organisation", "contact", "interviewer")
        .annotate(insight_count=Count("insights"))
        .order_by("planned_on", "pk")
    )


@dataclass
class Grouped:
    title: str
    insights: list[Insight] = field(default_factory=list)


def insights_by_tag(city: City) -> dict[str, Any]:
    """The insights of the city's interviews, grouped by local enabler and by theme (two queries).

    Only the insights: the sensitive notes are another table, never read here."""
    enabler_titles = dict(vocabulary.enablers(city.programme_id))
    insights = list(
        Insight.objects.filter(interview__city=city)
        .select_related("interview__organisation", "theme")
        .order_by("added_at", "pk")
    )
    by_enabler: dict[str, Grouped] = {code: Grouped(title) for code, title in enabler_titles.items()}
    by_theme: dict[int, Grouped] = {}
    for insight in insights:
        if insight.enabler:
            by_enabler.setdefault(insight.enabler, Grouped(insight.enabler)).insights.append(insight)
        if insight.theme_id is not None:
            theme: Theme = insight.theme  # type: ignore[assignment]
            by_theme.setdefault(theme.pk, Grouped(theme.name)).insights.append(insight)
    return {
        "enablers": [group for group in by_enabler.values() if group.insights],
        "themes": sorted(by_theme.values(), key=lambda g: g.title),
        "count": len(insights),
    }


def for_assessments(person: Person | AnonymousUser, city: City) -> dict[str, Any] | None:
    """The insights section of the city's needs assessment page, for those who open its ecosystem."""
    from icc.ecosystem.access import may_view_ecosystem

    if not may_view_ecosystem(person, city):
        return None
    return insights_by_tag(city)
