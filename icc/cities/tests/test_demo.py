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
