"""The programme office dashboard's URLs in the permission matrix.

The dashboard is a page of the programme team: the edition's other members get 403, as on
the cohort page; stakeholders and outsiders, to whom the programme is secret, 404.
"""

from __future__ import annotations

from tests.matrix.common import PROGRAMME, TEAM_ONLY, Routes

ROUTES: Routes = {
    "dashboard:dashboard": ("get", PROGRAMME, TEAM_ONLY),
}
