"""The chain of four concepts for one city, from local enablers to city performance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from icc.cities.access import get_city_for_user
from icc.core.types import AuthedHttpRequest
from icc.roadmaps.chain import chain


@login_required
@require_safe
def chain_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Local enablers → activities → technology maturity → city performance, for one city."""
    city = get_city_for_user(request.user, pk)
    return render(request, "roadmaps/chain.html", {"city": city, **chain(city)})
