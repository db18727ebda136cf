"""Counting submissions per address: the limit holds, and old counts are forgotten."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from icc.public.models import AddressWindow
from icc.public.participation import count_submission, network_of, participant_key


@pytest.mark.django_db
def test_the_limit_refuses_the_submission_past_it_and_never_stores_the_address(settings) -> None:
    settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR = 2
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    count_submission(request, "poll:1")
    count_submission(request, "poll:1")
    with pytest.raises(ValidationError) as refused:
        count_submission(request, "poll:1")
    assert refused.value.code == "rate_limited"
    count_submission(request, "poll:2")  # another consultation counts apart
    count_submission(RequestFactory().post("/", REMOTE_ADDR="203.0.113.8"), "poll:1")
    assert not AddressWindow.objects.filter(key__contains="203.0.113").exists()
    assert sorted(AddressWindow.objects.values_list("count", flat=True)) == [1, 1, 3]


@pytest.mark.django_db
def test_the_daily_tidy_forgets_the_counts_of_hours_that_ended() -> None:
    now = timezone.now()
    AddressWindow.objects.create(key="a" * 64, count=3, window_ends=now - dt.timedelta(minutes=1))
    AddressWindow.objects.create(key="b" * 64, count=1, window_ends=now + dt.timedelta(minutes=30))
    call_command("tidy_consultations", stdout=io.StringIO())
    assert list(AddressWindow.objects.values_list("key", flat=True)) == ["b" * 64]


def test_a_browser_is_told_apart_per_thing_it_answers() -> None:
    assert participant_key("poll:1", "x" * 32) != participant_key("poll:2", "x" * 32)
    assert participant_key("poll:1", "x" * 32) == participant_key("poll:1", "x" * 32)


@pytest.mark.django_db
def test_the_addresses_of_one_ipv6_connection_count_as_one(settings) -> None:
    settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR = 2
    for n in (1, 2):
        count_submission(RequestFactory().post("/", REMOTE_ADDR=f"2001:db8:1:2::{n:x}"), "poll:1")
    with pytest.raises(ValidationError):
        count_submission(RequestFactory().post("/", REMOTE_ADDR="2001:db8:1:2:ffff::9"), "poll:1")
    count_submission(RequestFactory().post("/", REMOTE_ADDR="2001:db8:1:3::1"), "poll:1")  # another connection


def test_an_ipv4_address_counts_as_itself() -> None:
    assert network_of("203.0.113.7") == "203.0.113.7"
    assert network_of("::ffff:203.0.113.7") == "203.0.113.7"
    assert network_of("2001:db8:1:2::5") == "2001:db8:1:2::/64"
