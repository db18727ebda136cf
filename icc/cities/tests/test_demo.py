from __future__ import annotations

import io

from django.core.management import call_command
from django.db.models import Count

from icc.accounts.models import Person
from icc.cities import demo
from icc.cities.models import City, CityType, Organisation, Role, RoleKind
from icc.core.models import AuditEntry


def snapshot() -> dict[str, object]:
    return {
        "cities": list(City.objects.order_by("pk").values()),
        "people": list(Person.objects.order_by("pk").values("email", "full_name", "password")),
        "roles": list(Role.objects.order_by("pk").values()),
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


def test_demo_is_a_realistic_cohort_and_loading_it_twice_changes_nothing(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())

    assert snapshot() == first
    eu_core = City.objects.filter(type=CityType.EU_CORE)
    assert 95 <= eu_core.count() <= 105
    assert eu_core.values("country").distinct().count() >= 20
    assert City.objects.filter(type=CityType.INTERNATIONAL_CORE).count() >= 3
    mentors = set(
        City.objects.filter(type__in=[CityType.EU_MENTOR, CityType.INTERNATIONAL_MENTOR]).values_list("name", flat=True)
    )
    assert mentors == {
        "Aarhus",
        "Amsterdam",
        "Antwerp",
        "Barcelona",
        "Hamburg",
        "Nice",
        "Porto",
        "Rijeka",
        "Espoo",
        "Singapore",
        "Busan",
        "Toronto",
    }
    assert 0.2 <= eu_core.filter(former_dcc=True).count() / eu_core.count() <= 0.3
    reps = Role.objects.filter(kind=RoleKind.CITY_REP).values("city").annotate(n=Count("pk"))
    assert {r["n"] for r in reps} == {3}
    assert City.objects.filter(roles__kind=RoleKind.LEAD_EXPERT).count() == City.objects.count()
    assert Organisation.objects.values("city").distinct().count() == City.objects.count()
    for email in demo.PERSONA_EMAILS.values():
        assert email in out.getvalue()
        assert Person.objects.get(email=email).check_password(demo.DEMO_PASSWORD)


def test_demo_history_is_believable_and_every_sign_in_has_work(db):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from icc.journey.models import Event, EventStatus
    from icc.programmes.models import Programme
    from icc.tags.models import Project, Tag

    call_command("load_demo", stdout=io.StringIO())
    programme = Programme.objects.get()
    organiser, mentor = Client(), Client()
    organiser.force_login(Person.objects.get(email=demo.PERSONA_EMAILS["organiser"]))
    mentor.force_login(Person.objects.get(email=demo.PERSONA_EMAILS["mentor"]))

    # The mentor sign-in's city leads a TAG, which it can open and run.
    led = Tag.objects.filter(mentor__roles__person__email=demo.PERSONA_EMAILS["mentor"]).distinct()
    first_led = led.first()
    assert first_led is not None
    assert mentor.get(first_led.get_absolute_url()).status_code == 200
    # Every lab project says what it is about.
    projects = Project.objects.filter(lab__programme=programme)
    assert projects.count() > 10
    assert projects.values("description").distinct().count() == projects.count()
    # Past events were held, bar a few.
    rows = organiser.get(reverse("journey:cohort", kwargs={"slug": programme.slug})).context["report"].rows
    assert max(r.summary.events_not_held for r in rows) <= 10
    past_shared = Event.objects.filter(programme=programme, city__isnull=True, ends_at__lt=timezone.now())
    not_held = past_shared.filter(status=EventStatus.PLANNED).count()
    assert not_held <= max(2, past_shared.count() // 4)
    assert past_shared.filter(status=EventStatus.HELD).exclude(outcomes="").count() == past_shared.count() - not_held
    # The city toolbox holds the programme's guidance, a mentor's TAG resource and a city's
    # final deliverable, and each demo sign-in that takes part opens it; the stakeholder does not.
    from icc.library.models import Item, Kind

    kinds = set(Item.objects.filter(programme=programme).values_list("kind", flat=True))
    assert {Kind.GUIDANCE, Kind.THEMATIC, Kind.MENTOR_RESOURCE, Kind.DELIVERABLE} <= kinds
    toolbox = reverse("library:library", kwargs={"slug": programme.slug})
    for persona, email in demo.PERSONA_EMAILS.items():
        client = Client()
        client.force_login(Person.objects.get(email=email))
        assert client.get(toolbox).status_code == (404 if persona == "stakeholder" else 200), persona
    assert "How we run our TAG working sessions" in mentor.get(toolbox).content.decode()
