"""The home page writes its dates in the reader's language's formats, as every page does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "de"])
def test_whats_next_reads_dates_the_readers_way(journey: Any, language: str) -> None:
    cast, event, follow_up = journey.cast, journey.event_a, journey.follow_up_a
    client = cast.client_for("rep_a")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    with time_machine.travel(event.starts_at - dt.timedelta(days=1), tick=False):
        page = client.get(reverse("core:home")).content.decode()

    with translation.override(language), timezone.override(settings.TIME_ZONE):
        starts = timezone.localtime(event.starts_at)
        expected = {
            "event": f'<time datetime="{starts.isoformat()}">{date_format(starts, "DATETIME_FORMAT")}</time>',
            "due": translation.gettext("due %(due)s") % {"due": date_format(follow_up.due_on, "DATE_FORMAT")},
        }
        due = translation.gettext("due %(due)s")
        hard_coded = [date_format(starts, "D j M, H:i"), due % {"due": date_format(follow_up.due_on, "j M Y")}]
    for text in expected.values():
        assert text in page
    for text in hard_coded:
        if text not in expected.values():
            assert text not in page
    if language == "de":
        assert due % {"due": f"{follow_up.due_on.day}. "} in page  # 5. Oktober 2026, not 5 Okt 2026
        assert "fällig" in page  # the page's own words are German too
