"""The early warning's URLs in the permission matrix.

The programme team follows every city, a lead expert the cities they lead (city A here);
nobody else learns a city's score, the city's own team included (404). Only the programme
team works the scores out again (the lead expert gets 403).
"""

from __future__ import annotations

from tests.matrix.common import CITY_A, FORBIDDEN, NOT_FOUND, OK, PROGRAMME, REDIRECT, Routes, everyone

FOLLOWERS = {**everyone(NOT_FOUND), "organiser": OK, "lead_expert": OK, "anonymous": REDIRECT}

ROUTES: Routes = {
    "reports:warnings": ("get", PROGRAMME, FOLLOWERS),
    "reports:refresh": (
        "post",
        PROGRAMME,
        {**everyone(NOT_FOUND), "organiser": REDIRECT, "lead_expert": FORBIDDEN, "anonymous": REDIRECT},
    ),
    "reports:city_risk": ("get", CITY_A, FOLLOWERS),
}
