from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from icc.cities.access import programmes_for
from icc.core import dataversion


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The editions in the navigation, kept under the data version like any cached content."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_programmes": []}
    return {
        "nav_programmes": dataversion.cached(
            f"nav-programmes:{user.pk}", dataversion.current(request), lambda: programmes_for(user)
        )
    }
