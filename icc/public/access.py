"""What the public may open, and who manages what a city publishes.

A visitor reaches a city by the programme's and the city's slugs; anything not published
(a city that has not published its page, a draft consultation) is a 404, exactly like an
address that never existed. The city team manages its publication through the city's
own access rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import get_object_or_404

from icc.cities.access import get_city_for_user
from icc.programmes.models import Programme
from icc.public.models import Publication

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person
    from icc.cities.models import City


def get_public_programme(slug: str) -> Programme:
    """A programme with at least one published city; others have no public side."""
    programme = get_object_or_404(Programme, slug=slug)
    if not Publication.objects.filter(programme=programme, published=True).exists():
        raise Http404
    return programme


def get_public_city(programme_slug: str, city_slug: str) -> Publication:
    """The publication of a city whose page is published, with its city and programme."""
    return get_object_or_404(
        Publication.objects.select_related("city", "programme", "city__track"),
        programme__slug=programme_slug,
        slug=city_slug,
        published=True,
    )


def get_city_publication_for_user(
    user: Person | AnonymousUser, city_pk: int, *, write: bool = False
) -> tuple[City, Publication | None]:
    """The city (by the city's rules) and its publication, if it has one yet."""
    city = get_city_for_user(user, city_pk, write=write)
    return city, Publication.objects.filter(city=city).first()
