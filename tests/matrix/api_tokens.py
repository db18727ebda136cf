"""The API tokens page and the API's operations for tokens, in the permission matrix.

Everyone signed in has a tokens page; a token is its owner's alone, so revoking rep A's
token is a 404 to anyone else. A token made with an empty form is the page again with
its errors (400). The API's operations for tokens take no sign-in: a request without a
token gets 401 from every persona; what a token's owner sees there is checked by the
API's own tests.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import NOT_FOUND, REDIRECT, SIGNED_IN, Kwargs, Routes, everyone

BAD_REQUEST, UNAUTHORISED = 400, 401


def _token_of_rep_a(c: Any) -> dict[str, Any]:
    existing = getattr(c, "token_matrix", None)
    if existing is None:
        from icc.api.actions import create_token

        token, _secret = create_token(owner=c.person("rep_a"), name="matrix", scopes=["kpis:read"])
        existing = c.token_matrix = {"pk": token.pk}
    return existing


NONE: Kwargs = lambda c: {}  # noqa: E731
PROGRAMME_API: Kwargs = lambda c: {"slug": c.programme.slug}  # noqa: E731
CITY_A_API: Kwargs = lambda c: {"id": c.city_a.pk}  # noqa: E731
TOKEN: Kwargs = _token_of_rep_a
OWNER_ONLY = {**everyone(NOT_FOUND), "rep_a": REDIRECT, "anonymous": REDIRECT}
SIGNED_IN_BAD_FORM = {**everyone(BAD_REQUEST), "anonymous": REDIRECT}
NO_TOKEN = everyone(UNAUTHORISED)

# name → (method, kwargs, expected status per persona)
ROUTES: Routes = {
    "api_tokens:tokens": ("get", NONE, SIGNED_IN),
    "api_tokens:create": ("post", NONE, SIGNED_IN_BAD_FORM),
    "api_tokens:revoke": ("post", TOKEN, OWNER_ONLY),
    "api:my_programmes": ("get", NONE, NO_TOKEN),
    "api:my_programme": ("get", PROGRAMME_API, NO_TOKEN),
    "api:my_cities": ("get", PROGRAMME_API, NO_TOKEN),
    "api:my_city": ("get", CITY_A_API, NO_TOKEN),
    "api:my_kpis": ("get", CITY_A_API, NO_TOKEN),
    "api:my_kpi": ("get", CITY_A_API, NO_TOKEN),
    "api:my_measurements": ("get", CITY_A_API, NO_TOKEN),
    "api:my_actions": ("get", CITY_A_API, NO_TOKEN),
    "api:my_action": ("get", CITY_A_API, NO_TOKEN),
    "api:my_tags": ("get", PROGRAMME_API, NO_TOKEN),
    "api:my_events": ("get", CITY_A_API, NO_TOKEN),
    "api:my_event": ("get", CITY_A_API, NO_TOKEN),
}
