"""The account's API tokens page: a person lists, makes and revokes their own tokens.

A new token's secret is shown once, in the answer to the request that made it, and is
kept nowhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.api import actions
from icc.api.access import get_token_for_user
from icc.api.forms import TokenForm
from icc.api.models import AccessToken, Scope
from icc.core.types import AuthedHttpRequest

PAGE = "api/tokens.html"


def _context(request: AuthedHttpRequest, form: TokenForm, **extra: Any) -> dict[str, Any]:
    tokens = list(AccessToken.objects.filter(owner=request.user))
    labels = dict(Scope.choices)
    rows = [{"token": t, "scopes": [labels.get(s, s) for s in t.scopes], "usable": t.is_usable()} for t in tokens]
    return {"form": form, "rows": rows, **extra}


@login_required
@require_safe
def tokens(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, PAGE, _context(request, TokenForm()))


@login_required
@require_POST
def create(request: AuthedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, PAGE, _context(request, form), status=400)
    token, secret = actions.create_token(
        owner=request.user,
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
        expires_at=form.expires_at(),
    )
    return render(request, PAGE, _context(request, TokenForm(), new_token=token, secret=secret), status=201)


@login_required
@require_POST
def revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    token = get_token_for_user(request.user, pk)
    actions.revoke_token(token=token, by=request.user)
    messages.success(request, _("The token %(name)s is revoked: it opens nothing any more.") % {"name": token.name})
    return redirect("api_tokens:tokens")
