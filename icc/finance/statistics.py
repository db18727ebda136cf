"""The cohort's applications by funding programme, for the programme team.

Only counts and sums per funding programme are given: no city is named and no figure is
broken down by city, so a programme with one applicant says nothing more than "one
application" about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from icc.finance.models import Application, ApplicationStatus
from icc.programmes.models import Programme


@dataclass(frozen=True)
class Row:
    funding_programme: str
    applications: int
    cities: int
    awarded: int
    rejected: int
    pending: int
    requested: Decimal
    secured: Decimal

    @property
    def decided(self) -> int:
        return self.awarded + self.rejected

    @property
    def success_rate(self) -> float | None:
        """Awarded among the decided, in per cent; None before any decision."""
        return round(100 * self.awarded / self.decided, 1) if self.decided else None


def by_funding_programme(programme: Programme) -> list[Row]:
    rows = (
        Application.objects.filter(city__programme=programme)
        .values("call__funding_programme")
        .annotate(
            applications=Count("pk"),
            cities=Count("city", distinct=True),
            awarded=Count("pk", filter=Q(status=ApplicationStatus.AWARDED)),
            rejected=Count("pk", filter=Q(status=ApplicationStatus.REJECTED)),
            pending=Count("pk", filter=Q(status=ApplicationStatus.APPLIED)),
            requested=Sum("amount_requested"),
            secured=Sum("amount_secured", filter=Q(status=ApplicationStatus.AWARDED)),
        )
        .order_by("call__funding_programme")
    )
    return [
        Row(
            funding_programme=r["call__funding_programme"],
            applications=r["applications"],
            cities=r["cities"],
            awarded=r["awarded"],
            rejected=r["rejected"],
            pending=r["pending"],
            requested=r["requested"] or Decimal(0),
            secured=r["secured"] or Decimal(0),
        )
        for r in rows
    ]


def totals(rows: list[Row]) -> Row:
    return Row(
        funding_programme="",
        applications=sum(r.applications for r in rows),
        cities=0,
        awarded=sum(r.awarded for r in rows),
        rejected=sum(r.rejected for r in rows),
        pending=sum(r.pending for r in rows),
        requested=sum((r.requested for r in rows), Decimal(0)),
        secured=sum((r.secured for r in rows), Decimal(0)),
    )
