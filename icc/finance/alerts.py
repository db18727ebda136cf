"""Alerts of saved searches: a new call that a search with alerts on finds reaches its
person's inbox (and so their digest), once per search and batch of new calls."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from icc.finance.access import may_read_catalogue
from icc.finance.models import Call, SavedSearch
from icc.finance.search import filtered
from icc.inbox.actions import notify
from icc.inbox.models import Kind


@transaction.atomic
def alert(*, programme_id: int, call_ids: list[int]) -> int:
    """Notify each person whose saved search (alerts on) finds one of ``call_ids``; how many were told."""
    if not call_ids:
        return 0
    today = timezone.localdate()
    told = 0
    searches = SavedSearch.objects.filter(programme_id=programme_id, alerts=True).select_related("person", "programme")
    new = Call.objects.filter(programme_id=programme_id, pk__in=call_ids)
    batch = min(call_ids)
    for search in searches:
        if not search.person.is_active or not may_read_catalogue(search.person, search.programme):
            continue
        found = list(filtered(new, search.filters, today).values_list("pk", flat=True))
        if not found:
            continue
        notify(
            kind=Kind.FUNDING_CALLS,
            people=[search.person_id],
            programme=search.programme,
            target=search,
            key=f"funding-calls:{search.pk}:{batch}",
            params={"count": len(found), "call": found[0] if len(found) == 1 else None},
        )
        told += 1
    return told
