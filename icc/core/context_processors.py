from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from icc.cities.access import programmes_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_programmes": programmes_for(request.user)}
