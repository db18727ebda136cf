"""Background work of access to finance: computing the matches, telling saved searches."""

from __future__ import annotations

from django_tasks import task

from icc.finance import alerts, matched


@task()
def recompute_matches(*, programme_id: int, city_ids: list[int] | None = None) -> int:
    """Match the open calls of the programme's catalogue with its cities' funding gaps
    (every city, or ``city_ids``) and store the matches; the number stored."""
    return matched.recompute(programme_id=programme_id, city_ids=city_ids)


@task()
def alert_new_calls(*, programme_id: int, call_ids: list[int]) -> int:
    """Tell the people whose saved searches with alerts find one of the new calls; how many were told."""
    return alerts.alert(programme_id=programme_id, call_ids=call_ids)
