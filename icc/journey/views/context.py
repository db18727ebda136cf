"""What an event page shows besides the event itself: the working parts of an ecosystem call
(agenda, agreements, the review of earlier ones) and the record of a transversal expert visit."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q

from icc.core.types import AuthedHttpRequest
from icc.journey.access import may_report_visit, organisations_of, people_for_event
from icc.journey.forms import AgendaItemForm, AgreementForm, VisitReportForm
from icc.journey.models import (
    Agreement,
    AgreementReview,
    AgreementStatus,
    Event,
    ExpertVisit,
    ReviewOutcome,
    VisitStatus,
)
from icc.roadmaps.models import Opportunity


def agreement_form_for(event: Event, data: Any = None) -> AgreementForm:
    city = event.city
    assert city is not None
    return AgreementForm(
        data,
        city=city,
        people=people_for_event(event),
        organisations=organisations_of(city),
        opportunities=Opportunity.objects.filter(city=city),
    )


def earlier_agreements(event: Event) -> list[Agreement]:
    """The agreements of the city's earlier calls that this call reviews: those still open, and
    those this call already closed, each with what this call made of it (``here``)."""
    reviewed_here = AgreementReview.objects.filter(event=event)
    return list(
        Agreement.objects.filter(city=event.city, event__starts_at__lt=event.starts_at)
        .filter(Q(status=AgreementStatus.OPEN) | Q(pk__in=reviewed_here.values("agreement")))
        .select_related("event__event_type", "organisation", "action", "follow_up__owner")
        .annotate(carried=Count("reviews", filter=Q(reviews__outcome=ReviewOutcome.CARRIED)))
        .prefetch_related(Prefetch("reviews", queryset=reviewed_here, to_attr="here"))
        .order_by("event__starts_at", "pk")
    )


def call_context(
    request: AuthedHttpRequest,
    event: Event,
    *,
    may_edit: bool,
    agenda_form: AgendaItemForm | None = None,
    agreement_form: AgreementForm | None = None,
    **_other_forms: Any,
) -> dict[str, Any]:
    calls = Event.objects.filter(city=event.city, event_type=event.event_type)
    context: dict[str, Any] = {
        "agenda_items": list(event.agenda_items.all()),
        "agreements": list(
            event.agreements.select_related(
                "organisation", "action__owner_person", "action__owner_organisation", "follow_up__owner"
            )
        ),
        "to_review": earlier_agreements(event),
        "previous_call": calls.filter(starts_at__lt=event.starts_at).order_by("-starts_at").first(),
        "next_call": calls.filter(starts_at__gt=event.starts_at).order_by("starts_at").first(),
        "review_outcomes": ReviewOutcome.choices,
    }
    if may_edit:
        context["agenda_form"] = agenda_form if agenda_form is not None else AgendaItemForm()
        context["agreement_form"] = agreement_form if agreement_form is not None else agreement_form_for(event)
    return context


def visit_context(
    request: AuthedHttpRequest, event: Event, *, report_form: VisitReportForm | None = None, **_other_forms: Any
) -> dict[str, Any]:
    visit = (
        ExpertVisit.objects.select_related("service", "expert", "booked_by", "reported_by").filter(event=event).first()
    )
    if visit is None:
        return {"visit": None}
    assert event.city is not None
    visit.city, visit.event = event.city, event
    may_report = may_report_visit(request.user, visit) and visit.status != VisitStatus.CANCELLED
    return {
        "visit": visit,
        "may_report_visit": may_report,
        "report_form": report_form
        if report_form is not None
        else (VisitReportForm(initial={"report": visit.report}) if may_report else None),
    }
