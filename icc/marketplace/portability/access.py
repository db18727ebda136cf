"""Who exports and imports a city's or a provider's marketplace content.

A city's: its team and the programme team (those who may edit the city). A provider's:
whoever may change its record. Someone who cannot see the city or the provider gets 404;
someone who sees it but may not move its content gets 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from icc.cities.access import can_edit_city, visible_city_ids
from icc.cities.models import City
from icc.core.params import MAX_ID
from icc.marketplace import access
from icc.marketplace.models import CityProfile, Provider, Review

if TYPE_CHECKING:
    from icc.accounts.models import Person


def _sees_city(person: Person, city: City) -> bool:
    """The city's marketplace profile page opens for ``person``, or the city itself does."""
    if not access.may_use_marketplace(person, city.programme):
        return False
    if city.pk in visible_city_ids(person) or access.is_reviewer(person, city.programme):
        return True
    return CityProfile.objects.filter(city=city, review=Review.PUBLISHED).exists()


def get_city_for_transfer(person: Person, pk: int) -> City:
    """The city whose marketplace content ``person`` exports or imports."""
    city = City.objects.select_related("programme").filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if city is None or not _sees_city(person, city):
        raise Http404
    if not can_edit_city(person, city):
        raise PermissionDenied
    return city


def get_provider_for_transfer(person: Person, pk: int) -> Provider:
    """The provider whose marketplace content ``person`` exports or imports."""
    provider = access.get_provider_for_user(person, pk)
    if not access.may_edit_provider(person, provider):
        raise PermissionDenied
    return provider
