"""What the pages of calls and ideas count and list, each in a fixed number of queries.

Vote counts are read live from ``IdeaVote`` (whose writes do not raise the data version),
so nothing here is cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from icc.cities.models import City
from icc.ideas.models import LISTED_STATES, CallStatus, Idea, IdeaCall, IdeaState, Purpose
from icc.programmes.models import Cycle


@dataclass(frozen=True)
class Hidden:
    """How many of a call's ideas the public does not see, and why: moderation never hides silently."""

    pending: int = 0
    declined: int = 0
    merged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.pending or self.declined or self.merged)


def state_counts(call: IdeaCall) -> dict[str, int]:
    rows = Idea.objects.filter(call=call).values("state").annotate(n=Count("pk")).order_by()
    return {row["state"]: row["n"] for row in rows}


def hidden(counts: dict[str, int]) -> Hidden:
    return Hidden(
        pending=counts.get(IdeaState.PENDING, 0),
        declined=counts.get(IdeaState.DECLINED, 0),
        merged=counts.get(IdeaState.MERGED, 0),
    )


def listed_ideas(call: IdeaCall, *, votes: bool) -> QuerySet[Idea]:
    """The ideas the call's page lists: the shortlist first, then the newest; with their
    vote counts when ``votes`` (the city closed the vote, or the city team reads them)."""
    ideas = (
        Idea.objects.filter(call=call, state__in=LISTED_STATES)
        .select_related("action")
        .annotate(merged_count=Count("merged", filter=Q(merged__state=IdeaState.MERGED), distinct=True))
    )
    if votes:
        ideas = ideas.annotate(vote_count=Count("votes", distinct=True))
    return ideas.order_by(_shortlist_first(), "-created_at", "-pk")


def _shortlist_first() -> Case:
    return Case(When(state=IdeaState.SHORTLISTED, then=Value(0)), default=Value(1), output_field=IntegerField())


def public_calls(city: City) -> QuerySet[IdeaCall]:
    """The city's calls that are open, voting or closed, those taking part first."""
    running = Case(
        When(status__in=[CallStatus.OPEN, CallStatus.VOTING], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        IdeaCall.objects.filter(city=city)
        .exclude(status=CallStatus.DRAFT)
        .select_related("cycle")
        .annotate(listed=Count("ideas", filter=Q(ideas__state__in=LISTED_STATES)))
        .order_by(running, "-opens_on", "-pk")
    )


@dataclass
class CycleCall:
    """A call that prepares a cycle's planning, with the ideas the city let through."""

    call: IdeaCall
    ideas: list[Idea] = field(default_factory=list)


def ideas_for_cycle(city: City, cycle: Cycle, *, tallies: bool) -> list[CycleCall]:
    """The public calls of ``city`` that prepare ``cycle``'s planning, each with its published
    and shortlisted ideas (two queries whatever their number). With ``tallies`` (the city
    team), or once a call's vote is closed, the most voted come first; otherwise the order
    says nothing of a running tally."""
    calls = list(
        IdeaCall.objects.filter(city=city, cycle=cycle, purpose=Purpose.CYCLE_PLANNING)
        .exclude(status=CallStatus.DRAFT)
        .order_by("-opens_on", "-pk")
    )
    if not calls:
        return []
    by_call: dict[int, CycleCall] = {call.pk: CycleCall(call) for call in calls}
    ideas = (
        Idea.objects.filter(call__in=calls, state__in=LISTED_STATES)
        .select_related("action")
        .annotate(vote_count=Count("votes"))
        .order_by(_shortlist_first(), "-created_at", "-pk")
    )
    for idea in ideas:
        by_call[idea.call_id].ideas.append(idea)
    for entry in by_call.values():
        if tallies or entry.call.results_public:
            entry.ideas.sort(key=lambda idea: -idea.vote_count)  # type: ignore[attr-defined]
    return list(by_call.values())
