"""What the answers show: the scan's result, baseline against re-run, and the city against its peers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.assessments import access, indicators, results
from icc.assessments.forms import PeerPopulationForm
from icc.assessments.models import PeerPopulation, Round
from icc.cities.models import City
from icc.cities.roles import is_programme_team
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest

PEERS_PAGE = "assessments/peers.html"


@login_required
@require_safe
def result_view(request: AuthedHttpRequest, pk: int, instrument_pk: int, round: str) -> HttpResponse:
    response = access.get_result_for_user(request.user, pk, instrument_pk, round)
    return render(
        request,
        "assessments/result.html",
        {
            "city": response.city,
            "instrument": response.instrument,
            "response": response,
            **results.scan_result(response),
        },
    )


@login_required
@require_safe
def compare_view(request: AuthedHttpRequest, pk: int, instrument_pk: int) -> HttpResponse:
    """Baseline against re-run, question by question."""
    city, instrument = access.get_instrument_for_user(request.user, pk, instrument_pk)
    return render(
        request,
        "assessments/compare.html",
        {"city": city, "instrument": instrument, "rows": results.compare_rows(city, instrument)},
    )


def _peers_page(
    request: AuthedHttpRequest, city: City, round: str, *, form: PeerPopulationForm | None = None
) -> dict[str, Any]:
    confirmed = PeerPopulation.objects.filter(city=city).first()
    if form is None and is_programme_team(request.user, city.programme):
        form = PeerPopulationForm(initial={"population": confirmed.population if confirmed else None})
    return {
        "city": city,
        "rows": indicators.comparison(city, indicators.indicators_for(city), round, viewer=request.user),
        "band": indicators.peer_band(city),
        "confirmed": confirmed,
        "population_form": form,
        "min_peers": indicators.MIN_PEERS,
        "round": round,
    }


@login_required
@require_safe
def peers_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The peer comparison; the programme team also confirms here the population it is based on."""
    city = access.get_peer_group_for_user(request.user, pk)
    round = request.GET.get("round", Round.BASELINE)
    if round not in Round.values:
        round = Round.BASELINE
    return render(request, PEERS_PAGE, _peers_page(request, city, round))


@login_required
@require_POST
def peer_population(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_peer_group_for_user(request.user, pk, write=True)
    form = PeerPopulationForm(request.POST)
    if form.is_valid():
        try:
            indicators.confirm_peer_population(city=city, population=form.cleaned_data["population"], by=request.user)
        except ValidationError as error:
            form.add_error("population", error)
        else:
            messages.success(request, _("The population for peer comparisons was confirmed."))
            return redirect("assessments:peers", pk=city.pk)
    context = _peers_page(request, city, Round.BASELINE, form=form)
    return render_page(request, PEERS_PAGE, context, fragment="population-form")
