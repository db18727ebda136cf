"""Searching the catalogue: one set of filters for the page, the saved searches and their alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from icc.finance.models import Call

FILTER_KEYS = ("q", "theme", "funding_programme", "city_type", "country", "closed")
MAX_WORDS = 10


def filtered(calls: QuerySet[Call], filters: dict[str, Any], today: dt.date) -> QuerySet[Call]:
    """``calls`` narrowed by ``filters`` (as the search form cleans them); closed calls only
    when ``closed`` is set."""
    for word in str(filters.get("q") or "").split()[:MAX_WORDS]:
        calls = calls.filter(
            Q(title__icontains=word)
            | Q(topic__icontains=word)
            | Q(description__icontains=word)
            | Q(identifier__icontains=word)
            | Q(funding_programme__icontains=word)
        )
    if filters.get("theme"):
        calls = calls.filter(themes=filters["theme"])
    if filters.get("funding_programme"):
        calls = calls.filter(funding_programme=filters["funding_programme"])
    if filters.get("city_type"):
        calls = calls.filter(Q(city_types="") | Q(city_types__contains=filters["city_type"]))
    if filters.get("country"):
        calls = calls.filter(Q(countries="") | Q(countries__contains=str(filters["country"]).upper()))
    if not filters.get("closed"):
        calls = calls.filter(deadline__gte=today)
    return calls.distinct() if filters.get("theme") else calls


def described(filters: dict[str, Any]) -> dict[str, Any]:
    """Only the filters that are set, as stored with a saved search."""
    return {key: filters[key] for key in FILTER_KEYS if filters.get(key) not in (None, "", False)}
