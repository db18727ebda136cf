"""CSV import of a cohort: cities, then people with their roles.

A file goes through four steps, each returning what the next one takes:

1. :mod:`~icc.cities.imports.read`: the upload gate, then rows numbered as a spreadsheet shows them;
2. :mod:`~icc.cities.imports.validate`: typed records, every wrong value with its row and column;
3. :mod:`~icc.cities.imports.plan`: what each record would create or change, checked against
   the rules the pages apply;
4. :mod:`~icc.cities.imports.apply`: the plan saved through the actions the pages use, atomically.

A file is checked as a whole. Any wrong row means nothing is saved, and every problem is
reported with its row and column so the programme office can fix the file in one go.
Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from icc.cities.imports.apply import apply_cities, apply_people
from icc.cities.imports.plan import Outcome, plan_cities, plan_people
from icc.cities.imports.read import RowError, read_rows, size_error
from icc.cities.imports.validate import CITY_COLUMNS, PEOPLE_COLUMNS, Scopes, validate_cities, validate_people
from icc.cities.models import City

if TYPE_CHECKING:
    from icc.cities.actions import Actor
    from icc.programmes.models import Programme

__all__ = [
    "CITY_OPTIONAL",
    "CITY_REQUIRED",
    "PEOPLE_OPTIONAL",
    "PEOPLE_REQUIRED",
    "ImportResult",
    "RowError",
    "import_cities",
    "import_people",
    "size_error",
]

CITY_REQUIRED, CITY_OPTIONAL = CITY_COLUMNS.required, CITY_COLUMNS.optional
PEOPLE_REQUIRED, PEOPLE_OPTIONAL = PEOPLE_COLUMNS.required, PEOPLE_COLUMNS.optional


@dataclass(frozen=True)
class ImportResult:
    """What an import did: how many rows it created, updated or left unchanged, or why it saved nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @classmethod
    def refused(cls, errors: Iterable[RowError]) -> ImportResult:
        return cls(errors=sorted(errors, key=lambda error: error.row))

    @classmethod
    def done(cls, counts: dict[Outcome, int]) -> ImportResult:
        return cls(created=counts["created"], updated=counts["updated"], unchanged=counts["unchanged"])


def import_cities(*, programme: Programme, data: bytes, by: Actor, source: str) -> ImportResult:
    rows = read_rows(data, columns=CITY_COLUMNS)
    if rows.errors:
        return ImportResult.refused(rows.errors)
    records = validate_cities(rows.items, themes=list(programme.themes.all()), phases=list(programme.phases.all()))
    if records.errors:
        return ImportResult.refused(records.errors)
    plan = plan_cities(programme=programme, records=records.items)
    if plan.errors:
        return ImportResult.refused(plan.errors)
    apply_cities(plan=plan, by=by, source=source)
    return ImportResult.done(plan.counts)


def import_people(*, programme: Programme, data: bytes, by: Actor, source: str, invite: bool = False) -> ImportResult:
    rows = read_rows(data, columns=PEOPLE_COLUMNS)
    if rows.errors:
        return ImportResult.refused(rows.errors)
    scopes = Scopes(
        cities=list(City.objects.filter(programme=programme)),
        themes=list(programme.themes.all()),
        services=list(programme.services.all()),
    )
    records = validate_people(rows.items, scopes=scopes)
    # A row refused by a rule of roles is reported with the rows whose values are wrong.
    plan = plan_people(programme=programme, records=records.items)
    if records.errors or plan.errors:
        return ImportResult.refused((*records.errors, *plan.errors))
    problems = apply_people(programme=programme, plan=plan, by=by, source=source, invite=invite)
    if problems:
        return ImportResult.refused(problems)
    return ImportResult.done(plan.counts)
