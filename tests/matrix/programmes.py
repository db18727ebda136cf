"""The programmes URLs in the permission matrix."""

from __future__ import annotations

from tests.matrix.common import (
    PROGRAMME,
    PROGRAMME_MEMBERS,
    TEAM_ONLY,
    Routes,
)

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "programmes:overview": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    # The calendar is one form: an empty POST is the form again with its errors.
    "programmes:calendar_setup": [("get", PROGRAMME, TEAM_ONLY), ("post", PROGRAMME, TEAM_ONLY)],
}
