"""Which access token a person may open on their token page: only their own (404 otherwise)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from icc.accounts.models import Person
from icc.api.models import AccessToken


def get_token_for_user(person: Person | AnonymousUser, token_id: int) -> AccessToken:
    if not person.is_authenticated:
        raise Http404
    token = AccessToken.objects.filter(pk=token_id, owner=person).first()
    if token is None:
        raise Http404
    return token
