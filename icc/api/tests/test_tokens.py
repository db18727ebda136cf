"""The account's API tokens page: a person makes, lists and revokes their own tokens, and
only a hash of each secret is kept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Cast
from icc.api.models import AccessToken, Scope, hash_of

pytestmark = pytest.mark.django_db
PAGE = "/account/api-tokens/"


def _make(cast: Cast, persona: str = "rep_a", **data: object) -> tuple[Client, str]:
    client = cast.client_for(persona)
    response = client.post(f"{PAGE}new/", {"name": "Dashboard sync", "scopes": [Scope.KPIS], **data})
    assert response.status_code == 201, response.content
    found = re.search(rb'data-testid="secret">(icc_[^<]+)<', response.content)
    assert found is not None, "the new secret is shown"
    return client, found.group(1).decode()


def test_a_new_token_shows_its_secret_once_and_keeps_only_its_hash(cast: Cast) -> None:
    client, secret = _make(cast)
    token = AccessToken.objects.get()
    assert token.owner == cast.person("rep_a") and token.scopes == [Scope.KPIS]
    assert token.secret_hash == hash_of(secret) and secret not in str(AccessToken.objects.values().get())
    listing = client.get(PAGE)
    assert listing.status_code == 200
    assert b"Dashboard sync" in listing.content and secret.encode() not in listing.content
    assert token.hint.encode() in listing.content


def test_the_page_needs_a_sign_in(cast: Cast) -> None:
    response = cast.client_for("anonymous").get(PAGE)
    assert response.status_code == 302 and "next=/account/api-tokens/" in response["Location"]


def test_writes_are_posts_only(cast: Cast) -> None:
    client = cast.client_for("rep_a")
    assert client.get(f"{PAGE}new/").status_code == 405
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "  ", "scopes": [Scope.KPIS]}, b"This field is required"),
        ({"name": "x", "scopes": ["admin:write"]}, b"Select a valid choice"),
        ({"name": "x", "scopes": []}, b"This field is required"),
        ({"name": "x", "scopes": [Scope.KPIS], "expires_on": "2000-01-01"}, b"Choose a day after today"),
        ({"name": "x", "scopes": [Scope.KPIS], "expires_on": "next week"}, b"Enter a valid date"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_makes_nothing(cast: Cast, data: dict, message: bytes) -> None:
    response = cast.client_for("rep_a").post(f"{PAGE}new/", data)
    assert response.status_code == 400 and message in response.content
    assert not AccessToken.objects.exists()


def test_an_expiry_is_kept_to_the_end_of_its_day(cast: Cast) -> None:
    day = timezone.localdate() + dt.timedelta(days=30)
    _make(cast, expires_on=day.isoformat())
    expires = AccessToken.objects.get().expires_at
    assert expires is not None and timezone.localtime(expires).date() == day + dt.timedelta(days=1)


def test_the_owner_revokes_a_token_and_nobody_else_can(cast: Cast) -> None:
    client, _secret = _make(cast)
    token = AccessToken.objects.get()
    assert cast.client_for("rep_b").post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert b"revoked" in client.get(PAGE).content


def test_another_persons_tokens_are_not_listed(cast: Cast) -> None:
    _make(cast, "rep_a")
    assert b"Dashboard sync" not in cast.client_for("rep_b").get(PAGE).content
