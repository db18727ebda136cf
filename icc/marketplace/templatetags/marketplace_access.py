"""What a marketplace page offers the reader, asked of :mod:`icc.marketplace.access`."""

from __future__ import annotations

from typing import Any

from django import template

from icc.library.access import may_use_library
from icc.marketplace import access
from icc.marketplace.models import Provider, Solution
from icc.programmes.models import Programme

register = template.Library()


@register.filter
def edits_provider(provider: Provider, person: Any) -> bool:
    return access.may_edit_provider(person, provider)


@register.filter
def sees_provider_people(provider: Provider, person: Any) -> bool:
    return access.may_invite_for(person, provider) or access.acts_for(person, provider)


@register.filter
def adds_solutions_for(provider: Provider, person: Any) -> bool:
    return access.acts_for(person, provider)


@register.filter
def writes_for_provider(solution: Solution, person: Any) -> bool:
    return access.may_write_provider_solution(person, solution)


@register.filter
def adds_screenshots(solution: Solution, person: Any) -> bool:
    return access.may_add_screenshots(person, solution)


@register.filter
def opens_programme(programme: Programme, person: Any) -> bool:
    """Whether the programme's own pages (browsing, the list of challenges) open for
    ``person``: not for someone who only acts for a provider."""
    return may_use_library(person, programme)
