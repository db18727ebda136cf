"""Making notices: one per person, never for who caused it, once per key, in the caller's transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from conftest import Cast
from icc.inbox.actions import notify
from icc.inbox.models import Kind, Notification

pytestmark = pytest.mark.django_db


def _ids(cast: Cast, *personas: str) -> list[int]:
    return [cast.person(p).pk for p in personas]


def test_one_unread_notice_per_person_and_none_for_the_actor(cast: Cast) -> None:
    notify(
        kind=Kind.SIGN_OFF,
        people=_ids(cast, "mayor_a", "rep_a", "mayor_a"),
        programme=cast.programme,
        target=cast.city_a,
        actor=cast.person("rep_a"),
        params={"cycle": 2},
    )
    notices = list(Notification.objects.all())
    assert [(n.person, n.kind, n.target_id, n.read_at) for n in notices] == [
        (cast.person("mayor_a"), "sign-off", cast.city_a.pk, None)
    ]
    assert notices[0].actor == cast.person("rep_a") and notices[0].params == {"cycle": 2}


def test_a_key_makes_a_second_call_change_nothing(cast: Cast) -> None:
    for _ in range(3):
        notify(
            kind=Kind.SIGN_OFF,
            people=_ids(cast, "mayor_a", "organiser"),
            programme=cast.programme,
            target=cast.city_a,
            key="sign-off:1:1:abc",
        )
    assert Notification.objects.count() == 2
    # Another key (a new budget) is a new notice; without a key every call is one.
    notify(kind=Kind.SIGN_OFF, people=_ids(cast, "mayor_a"), programme=cast.programme, target=cast.city_a, key="x")
    notify(kind=Kind.SIGN_OFF, people=_ids(cast, "mayor_a"), programme=cast.programme, target=cast.city_a)
    notify(kind=Kind.SIGN_OFF, people=_ids(cast, "mayor_a"), programme=cast.programme, target=cast.city_a)
    assert Notification.objects.filter(person=cast.person("mayor_a")).count() == 4


def test_a_notice_rolls_back_with_the_change_it_reports(cast: Cast) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(kind=Kind.SIGN_OFF, people=_ids(cast, "mayor_a"), programme=cast.programme, target=cast.city_a)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()


def test_a_target_of_the_wrong_model_or_an_unknown_kind_is_refused(cast: Cast) -> None:
    with pytest.raises(ValueError, match=r"points at a roadmaps\.KPI"):
        notify(kind=Kind.KPI_DUE, people=_ids(cast, "rep_a"), programme=cast.programme, target=cast.city_a)
    with pytest.raises(ValueError):
        notify(kind="gossip", people=_ids(cast, "rep_a"), programme=cast.programme, target=cast.city_a)
    assert not Notification.objects.exists()


def test_nobody_to_tell_writes_nothing(cast: Cast) -> None:
    notify(kind=Kind.SIGN_OFF, people=[], programme=cast.programme, target=cast.city_a)
    assert not Notification.objects.exists()
