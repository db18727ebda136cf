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
    "programmes:calendar_setup": ("get", PROGRAMME, TEAM_ONLY),
}
