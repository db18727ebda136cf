"""``{% funding_line action %}``: the action's funding line (budget, secured, gap, applications
and their outcomes) for the action's own page, with the same markup as the funding page.

The page that places it has already checked that its reader may open the action; whether
they may record applications is decided here with the city's rules.
"""

from __future__ import annotations

from typing import Any

from django import template

from icc.cities.roles import can_edit_city
from icc.roadmaps.models import Action

register = template.Library()


@register.inclusion_tag("finance/action_funding.html#funding-line", takes_context=True)
def funding_line(context: dict[str, Any], action: Action) -> dict[str, Any]:
    from icc.finance.views import funding_line_context

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        **funding_line_context(action),
        "city": action.city,
        "may_edit": user is not None and can_edit_city(user, action.city),
    }
