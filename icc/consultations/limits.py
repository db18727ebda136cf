"""The numbers a consultation runs by, each overridable in the settings."""

from __future__ import annotations

from django.conf import settings

# A question's figures are published only from this many answers, so that no one's
# answer can be singled out (``ICC_CONSULTATION_MIN_ANSWERS``; the city team cannot change it).
DEFAULT_MIN_ANSWERS = 5
# How long a confirmation link works; unconfirmed answers are deleted after it
# (``ICC_CONSULTATION_CONFIRM_DAYS``).
DEFAULT_CONFIRM_DAYS = 7
# The longest a consultation stays open, and the longest personal answers are kept after it closes.
MAX_OPEN_DAYS = 366
MAX_RETENTION_DAYS = 730


def min_answers() -> int:
    return max(1, int(getattr(settings, "ICC_CONSULTATION_MIN_ANSWERS", DEFAULT_MIN_ANSWERS)))


def confirm_days() -> int:
    return min(30, max(1, int(getattr(settings, "ICC_CONSULTATION_CONFIRM_DAYS", DEFAULT_CONFIRM_DAYS))))
