"""What a city's checklist comes to: "n of m principles met", and each principle's status.

Read in four queries whatever the size of the charter, for the city's checklist page,
the programme's overview and the city's smart-city profile in the marketplace.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from icc.cities.models import City
from icc.opendata.actions import current_charter
from icc.opendata.models import Charter, Checklist, Entry, Principle, Status


@dataclass(frozen=True)
class Line:
    principle: Principle
    status: str
    evidence_url: str
    evidence: str

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


@dataclass(frozen=True)
class Summary:
    charter: Charter
    lines: list[Line]
    version: int  # of the city's checklist (0: never saved)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def met(self) -> int:
        return sum(1 for line in self.lines if line.status == Status.MET)

    @property
    def in_progress(self) -> int:
        return sum(1 for line in self.lines if line.status == Status.IN_PROGRESS)

    @property
    def met_lines(self) -> list[Line]:
        return [line for line in self.lines if line.status == Status.MET]


def summary(city: City, charter: Charter | None = None) -> Summary | None:
    """The city's answers to the current version of its programme's charter (None when the
    programme has published none)."""
    charter = charter or current_charter(city.programme)
    if charter is None:
        return None
    principles = list(charter.principles.all())
    checklist = Checklist.objects.filter(city=city, charter=charter).first()
    entries = {e.principle_id: e for e in checklist.entries.all()} if checklist is not None else {}
    version = checklist.version if checklist is not None else 0
    lines = [
        Line(
            principle=p,
            status=entries[p.pk].status if p.pk in entries else Status.NOT_YET,
            evidence_url=entries[p.pk].evidence_url if p.pk in entries else "",
            evidence=entries[p.pk].evidence if p.pk in entries else "",
        )
        for p in principles
    ]
    return Summary(charter=charter, lines=lines, version=version)


def met_counts(charter: Charter, cities: list[City]) -> dict[int, tuple[int, int]]:
    """For each city, how many principles of ``charter`` it meets and has in progress, in one query."""
    rows = (
        Entry.objects.filter(checklist__charter=charter, checklist__city__in=cities)
        .values("checklist__city")
        .annotate(
            met=Count("pk", filter=Q(status=Status.MET)), progress=Count("pk", filter=Q(status=Status.IN_PROGRESS))
        )
    )
    found = {row["checklist__city"]: (row["met"], row["progress"]) for row in rows}
    return {city.pk: found.get(city.pk, (0, 0)) for city in cities}
