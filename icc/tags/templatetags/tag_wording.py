"""The optimiser's stored reasons in the reader's words: ``{{ membership.explanation|worded }}``."""

from __future__ import annotations

from django import template

from icc.tags import wording

register = template.Library()


@register.filter
def worded(value: object) -> str:
    """Reasons stored by :func:`icc.tags.wording.store` in words; older plain text as it is."""
    return wording.worded(value)
