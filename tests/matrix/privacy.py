"""The personal-data pages in the permission matrix.

Everyone signed in opens their own data and its download (there is no address for
anyone else's); the erasure form sent empty is the page again with its error (400).
The requests, their decisions and the record of processing are the programme team's
(403 to everyone else signed in); the decline form sent empty is a 400.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import FORBIDDEN, OK, REDIRECT, SIGNED_IN, Kwargs, Routes, everyone

BAD_REQUEST = 400


def _request_of_rep_b(c: Any) -> dict[str, Any]:
    existing = getattr(c, "privacy_matrix", None)
    if existing is None:
        from icc.privacy.actions import request_erasure

        erasure = request_erasure(person=c.person("rep_b"), reason="I am leaving the programme.")
        existing = c.privacy_matrix = {"pk": erasure.pk}
    return existing


REQUEST: Kwargs = _request_of_rep_b
NONE: Kwargs = lambda c: {}  # noqa: E731
TEAM = {**everyone(FORBIDDEN), "organiser": OK, "anonymous": REDIRECT}
TEAM_WRITES = {**TEAM, "organiser": REDIRECT}
TEAM_BAD_FORM = {**TEAM, "organiser": BAD_REQUEST}
SIGNED_IN_BAD_FORM = {**everyone(BAD_REQUEST), "anonymous": REDIRECT}

ROUTES: Routes = {
    "privacy:my_data": ("get", NONE, SIGNED_IN),
    "privacy:export": ("get", NONE, SIGNED_IN),
    "privacy:request_erasure": ("post", NONE, SIGNED_IN_BAD_FORM),
    "privacy:requests": ("get", NONE, TEAM),
    "privacy:confirm": ("post", REQUEST, TEAM_WRITES),
    "privacy:decline": ("post", REQUEST, TEAM_BAD_FORM),
    "privacy:record": ("get", NONE, TEAM),
}
