"""The tags URLs in the permission matrix."""

from __future__ import annotations

from tests.matrix.common import (
    CITY_A,
    CITY_A_READ,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    TAG_MEMBERS,
    TEAM_ONLY,
    Routes,
)

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "tags:tags": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "tags:formation": ("get", PROGRAMME, TEAM_ONLY),
    "tags:run": ("get", lambda c: {**PROGRAMME(c), "pk": c.tags.run.pk}, TEAM_ONLY),
    "tags:preferences": ("get", CITY_A, CITY_A_READ),
    "tags:tag": ("get", lambda c: {"pk": c.tags.tag.pk}, TAG_MEMBERS),
    "tags:session": ("get", lambda c: {"pk": c.tags.session.pk}, TAG_MEMBERS),
    "tags:labs": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "tags:lab": ("get", lambda c: {"pk": c.tags.lab.pk}, PROGRAMME_MEMBERS),
    "tags:brain_date": (
        "get",
        lambda c: {"pk": c.tags.brain_date.pk},
        PROGRAMME_MEMBERS,
    ),
    "tags:awards": ("get", PROGRAMME, PROGRAMME_MEMBERS),
}
