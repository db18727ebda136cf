"""The programme office dashboard's URLs in the permission matrix."""

from __future__ import annotations

from tests.matrix.common import Routes

ROUTES: Routes = {}
