"""Two requests from one browser racing: both reach the insert, one answer is stored."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from icc.consultations import actions
from icc.consultations.answering import parse
from icc.consultations.models import Answer, Submission
from icc.consultations.structure import read
from icc.consultations.tests.conftest import Site, choices_of, poll, questions_of


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time: no race to lose")
def test_two_identical_submissions_at_once_store_one(site: Site) -> None:
    consultation = poll(site)
    item = questions_of(consultation)[0]
    request = RequestFactory().post("/", {f"q{item.pk}": choices_of(item)[0].pk})
    parsed = parse(read(consultation), request.POST)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def send() -> None:
        try:
            start.wait()
            actions.submit(request=request, consultation=consultation, parsed=parsed, visitor="r" * 32)
            outcomes.append("stored")
        except actions.AlreadyCounted:
            outcomes.append("already counted")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already counted", "stored"]
    assert Submission.objects.count() == 1 and Answer.objects.count() == 1
