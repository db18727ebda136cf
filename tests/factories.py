"""factory_boy factories for the domain models.

Call ``XFactory.create(...)`` (or ``create_batch``) rather than ``XFactory(...)``:
the class methods are typed to return the model, while calling the factory
class is seen by mypy as constructing the factory itself.
"""

from __future__ import annotations

import datetime as dt

import factory

from icc.accounts.models import Person
from icc.cities.models import City, CityType, Organisation, Role, RoleKind, Sector
from icc.programmes.actions import create_programme
from icc.programmes.models import Programme


def make_programme(slug: str = "test-edition", first_month: dt.date = dt.date(2025, 9, 1)) -> Programme:
    return create_programme(name=f"Edition {slug}", slug=slug, first_month=first_month)


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password("a-long-test-password")


class CityFactory(factory.django.DjangoModelFactory[City]):
    class Meta:
        model = City
        skip_postgeneration_save = True

    programme = factory.LazyFunction(make_programme)
    name = factory.Sequence(lambda n: f"City {n:04d}")
    country = factory.Iterator(["DE", "FR", "IT", "ES", "PL", "PT", "NL", "BE"])
    population = factory.Sequence(lambda n: 50_000 + n * 1000)
    latitude = 50
    longitude = 10
    time_zone = "Europe/Berlin"
    type = CityType.EU_CORE
    track = factory.LazyAttribute(lambda o: o.programme.themes.first())
    current_phase = factory.LazyAttribute(lambda o: o.programme.phases.get(key="implementation"))


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.INNOVATION_HUB


def give_role(person: Person, kind: RoleKind, programme: Programme, **scope: object) -> Role:
    return Role.objects.create(person=person, programme=programme, kind=kind, **scope)


def accepted_final(city: City, by: Person, document: bytes) -> object:
    """An accepted final version of a two-milestone deliverable of ``city``, by ``by``."""
    from django.core.files.base import ContentFile

    from icc.journey.models import DeliverableType, Milestone, Submission, SubmissionStatus

    kind = DeliverableType.objects.create(
        programme=city.programme, key="strategy", name="Local strategy", city_types=[city.type]
    )
    Milestone.objects.create(deliverable_type=kind, version="Draft", due_on=dt.date(2026, 3, 1))
    final = Milestone.objects.create(deliverable_type=kind, version="Final", due_on=dt.date(2026, 6, 1))
    submission = Submission(
        city=city,
        milestone=final,
        number=1,
        original_name="strategy.pdf",
        size=len(document),
        submitted_by=by,
        status=SubmissionStatus.ACCEPTED,
    )
    submission.document.save("strategy.pdf", ContentFile(document), save=False)
    submission.save()
    return submission
