"""Queueing a computation of the matches once the change that calls for it commits.

A request that changes many actions of a city (an import, a cycle moved) queues one
computation per edition for the cities it touched, not one per action: the cities are
gathered and queued together when the transaction commits. Nothing is read before then,
so a save that calls for a computation costs no query of its own.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

_pending = threading.local()


def _cities() -> set[int]:
    if not hasattr(_pending, "cities"):
        _pending.cities = set()
    cities: set[int] = _pending.cities
    return cities


def _flush() -> None:
    from icc.cities.models import City
    from icc.finance.tasks import recompute_matches

    cities = _cities()
    if not cities:
        return
    ids = sorted(cities)
    cities.clear()
    batches: dict[int, list[int]] = defaultdict(list)
    for city_id, programme_id in City.objects.filter(pk__in=ids).values_list("pk", "programme_id"):
        batches[programme_id].append(city_id)
    for programme_id, city_ids in batches.items():
        recompute_matches.enqueue(programme_id=programme_id, city_ids=city_ids)


def recompute_cities(city_ids: Iterable[int]) -> None:
    """Compute the matches of these cities again after the current transaction commits."""
    _cities().update(city_ids)
    # The first callback to run queues everything gathered; the others find nothing left.
    transaction.on_commit(_flush)


def recompute_programme(programme_id: int) -> None:
    """Compute the matches of every city of the programme again after the current transaction commits."""
    from icc.finance.tasks import recompute_matches

    transaction.on_commit(lambda: recompute_matches.enqueue(programme_id=programme_id))
