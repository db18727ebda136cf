"""The languages a city writes its consultations in."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from icc.cities.models import City
from icc.public.languages import language_of_country
from icc.public.models import Publication


@dataclass(frozen=True)
class Written:
    """The city's default language and every language it writes in, the default first."""

    default: str
    languages: list[str]


def of_publication(publication: Publication) -> Written:
    return Written(publication.default_language, publication.written_languages)


def of_city(city: City) -> Written:
    """From the city's public page; before it has one, its country's language and English."""
    publication = Publication.objects.filter(city=city).first()
    if publication is not None:
        return of_publication(publication)
    default = language_of_country(city.country)
    return Written(default, list(dict.fromkeys([default, settings.LANGUAGE_CODE])))
