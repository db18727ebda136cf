"""The e-mail digest: never, daily or weekly; once a period; only what the person may still
open; and an unsubscribe link that works without signing in, in one click from the mail client."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from icc.cities.models import Role, RoleKind
from icc.core.models import AuditEntry, AuditKind
from icc.inbox import actions
from icc.inbox.digest import send_digests
from icc.inbox.models import Frequency, Kind, Notification, Subscription
from icc.inbox.tests.conftest import World
from icc.inbox.tokens import unsubscribe_token
from tests.factories import CityFactory, PersonFactory, give_role

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)


def _digest_to(email: str) -> mail.EmailMultiAlternatives:
    [message] = [m for m in mail.outbox if m.to == [email]]
    assert isinstance(message, mail.EmailMultiAlternatives)
    return message


def _html(message: mail.EmailMultiAlternatives) -> str:
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    return str(html)


def _age(notification: Notification, when: dt.datetime) -> None:
    Notification.objects.filter(pk=notification.pk).update(created_at=when)


def test_the_weekly_digest_lists_the_unread_notices_grouped_with_links_and_an_unsubscribe(world: World) -> None:
    review = world.tell("rep_a", Kind.REVIEWED)
    follow_up = world.tell("rep_a", Kind.FOLLOW_UP_OVERDUE)
    read = world.tell("rep_a", Kind.SIGN_OFF)
    actions.mark_read(notification=read)
    for notice in (review, follow_up, read):
        _age(notice, MONDAY - dt.timedelta(days=2))
    [daily, weekly] = send_digests(now=MONDAY)
    assert (daily.sent, weekly.sent, weekly.period) == (0, 1, "2026-W50")
    message = _digest_to("rep_a@example.org")
    assert message.subject == "Your weekly ICC digest: 2 new notices"
    text, html = message.body, _html(message)
    assert "Deliverables" in text and "Follow-ups" in text and "Budgets to sign off" not in text
    assert text.index("Deliverables") < text.index("Follow-ups")
    assert f"http://testserver/inbox/{review.pk}/open/" in text or f"/inbox/{review.pk}/open/" in text
    assert f"/inbox/{follow_up.pk}/open/" in html and "Send the map" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<https?://[^>]+/inbox/unsubscribe/[^/]+/>", unsubscribe)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in text
    assert Subscription.objects.get(person=world.cast.person("rep_a")).last_sent_at == MONDAY


def test_at_most_one_digest_a_period_and_the_next_lists_only_what_came_since(world: World) -> None:
    first = world.tell("rep_a", Kind.REVIEWED)
    _age(first, MONDAY - dt.timedelta(days=1))
    send_digests(frequency="weekly", now=MONDAY)
    send_digests(frequency="weekly", now=MONDAY + dt.timedelta(hours=3))
    second = world.tell("rep_a", Kind.FOLLOW_UP_OVERDUE)
    _age(second, MONDAY + dt.timedelta(days=2))
    send_digests(frequency="weekly", now=MONDAY + dt.timedelta(days=4))  # the same ISO week
    assert len(mail.outbox) == 1
    send_digests(frequency="weekly", now=MONDAY + dt.timedelta(days=7))
    assert len(mail.outbox) == 2
    assert "Send the map" in mail.outbox[1].body and "Local strategy" not in mail.outbox[1].body


def test_daily_weekly_and_never(world: World) -> None:
    cast = world.cast
    for persona, frequency in (("rep_a", "daily"), ("mayor_a", "never"), ("lead_expert", "")):
        if frequency:
            actions.set_frequency(person=cast.person(persona), frequency=frequency, by=cast.person(persona))
        _age(world.tell(persona, Kind.SIGN_OFF, actor="organiser"), MONDAY - dt.timedelta(hours=2))
    [daily] = send_digests(frequency="daily", now=MONDAY)
    assert daily.sent == 1 and [m.to for m in mail.outbox] == [["rep_a@example.org"]]
    assert mail.outbox[0].subject == "Your daily ICC digest: 1 new notice"
    send_digests(frequency="daily", now=MONDAY + dt.timedelta(hours=5))
    assert len(mail.outbox) == 1  # the same day
    [weekly] = send_digests(frequency="weekly", now=MONDAY)
    assert weekly.sent == 1 and mail.outbox[-1].to == ["lead_expert@example.org"]  # weekly unless chosen
    _age(world.tell("rep_a", Kind.REVIEWED), MONDAY + dt.timedelta(hours=20))
    send_digests(now=MONDAY + dt.timedelta(days=1))
    assert [m.to[0] for m in mail.outbox] == ["rep_a@example.org", "lead_expert@example.org", "rep_a@example.org"]
    assert not [m for m in mail.outbox if "mayor_a" in m.to[0]]


def test_nothing_new_or_all_read_sends_nothing(world: World) -> None:
    notice = world.tell("rep_a", Kind.REVIEWED)
    _age(notice, MONDAY - dt.timedelta(days=30))  # long before the week of this digest
    send_digests(now=MONDAY)
    fresh = world.tell("rep_a", Kind.FOLLOW_UP_OVERDUE)
    _age(fresh, MONDAY - dt.timedelta(days=1))
    actions.mark_all_read(person=world.cast.person("rep_a"))
    send_digests(now=MONDAY)
    assert mail.outbox == []


def test_the_digest_of_someone_whose_role_ended_has_nothing_from_what_they_lost(world: World) -> None:
    cast = world.cast
    rep = cast.person("rep_a")
    elsewhere = CityFactory.create(programme=cast.programme, name="Gammaburg", track=cast.programme.themes.last())
    give_role(rep, RoleKind.CITY_REP, cast.programme, city=elsewhere)
    for notice in [*world.tell_everything("rep_a"), world.tell("rep_a", Kind.SIGN_OFF)]:
        _age(notice, MONDAY - dt.timedelta(days=1))
    actions.notify(kind=Kind.SIGN_OFF, people=[rep.pk], programme=cast.programme, target=elsewhere)
    Notification.objects.filter(target_id=elsewhere.pk).update(created_at=MONDAY - dt.timedelta(days=1))
    Role.objects.filter(person=rep, city=cast.city_a).delete()
    send_digests(now=MONDAY)
    message = _digest_to("rep_a@example.org")
    body = message.body + _html(message)
    for words in ("Send the map", "Energy use", "heat map", "Local strategy", "Who has a", "TAG 1"):
        assert words not in body, words
    assert "Gammaburg" in body and "Secret retrofit plan" in body
    assert message.subject == "Your weekly ICC digest: 2 new notices"


def test_a_digest_with_nothing_they_may_still_open_is_not_sent(world: World) -> None:
    _age(world.tell("rep_a", Kind.FOLLOW_UP_OVERDUE), MONDAY - dt.timedelta(days=1))
    Role.objects.filter(person=world.cast.person("rep_a")).delete()
    [_daily, weekly] = send_digests(now=MONDAY)
    assert (weekly.sent, weekly.empty) == (0, 1) and mail.outbox == []


# Unsubscribe ------------------------------------------------------------------------------


def _unsubscribe_url(world: World, persona: str = "rep_a") -> str:
    return reverse("inbox:unsubscribe", kwargs={"token": unsubscribe_token(world.cast.person(persona))})


def test_the_link_shows_one_button_and_its_post_unsubscribes_without_signing_in(world: World) -> None:
    url = _unsubscribe_url(world)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert f'action="{url}"' in page.content.decode() and "Unsubscribe</button>" in page.content.decode()
    assert not Subscription.objects.exists()  # looking changes nothing
    done = client.post(url)
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    rep = world.cast.person("rep_a")
    assert actions.frequency_of(rep) == Frequency.NEVER
    assert AuditEntry.objects.filter(action=AuditKind.PREFERENCES_CHANGED, object_id=str(rep.pk)).exists()
    assert "no digests at the moment" in client.get(url).content.decode()


def test_the_mail_clients_one_click_post_unsubscribes(world: World) -> None:
    _age(world.tell("rep_a", Kind.REVIEWED), MONDAY - dt.timedelta(days=1))
    send_digests(now=MONDAY)
    address = mail.outbox[0].extra_headers["List-Unsubscribe"][1:-1]
    path = address.split("://", 1)[1].split("/", 1)[1]
    response = Client(enforce_csrf_checks=True).post(
        f"/{path}", "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert actions.frequency_of(world.cast.person("rep_a")) == Frequency.NEVER
    _age(world.tell("rep_a", Kind.FOLLOW_UP_OVERDUE), MONDAY + dt.timedelta(days=6))
    send_digests(now=MONDAY + dt.timedelta(days=7))
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("token", ["forged", "MQ:1tA2bC:abcdefghijklmnopqrstuvwxyz0", "x" * 300])
def test_a_forged_or_damaged_link_is_a_clear_400_and_changes_nothing(world: World, token: str) -> None:
    url = reverse("inbox:unsubscribe", kwargs={"token": token})
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    good = unsubscribe_token(world.cast.person("rep_a"))
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    assert Client().post(reverse("inbox:unsubscribe", kwargs={"token": tampered})).status_code == 400
    # A token signed for another purpose names nobody here either.
    from django.core import signing

    other = signing.dumps(world.cast.person("rep_a").pk, salt="icc.accounts.invitation")
    assert Client().post(reverse("inbox:unsubscribe", kwargs={"token": other})).status_code == 400
    assert not Subscription.objects.exists()


# The preferences page -------------------------------------------------------------------


def test_the_preferences_page_sets_how_often(world: World) -> None:
    client = world.cast.client_for("rep_a")
    page = client.get(reverse("journey:preferences")).content.decode()
    assert 'action="/inbox/digest/"' in page and 'value="weekly"' in page and "checked" in page
    response = client.post(reverse("inbox:digest"), {"frequency": "daily"})
    assert response.status_code == 302 and response["Location"] == reverse("journey:preferences")
    assert actions.frequency_of(world.cast.person("rep_a")) == Frequency.DAILY
    bad = client.post(reverse("inbox:digest"), {"frequency": "hourly"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    assert actions.frequency_of(world.cast.person("rep_a")) == Frequency.DAILY
    assert world.cast.client_for("anonymous").post(reverse("inbox:digest"), {"frequency": "never"}).status_code == 302


def test_people_with_the_same_roles_share_checks_but_never_a_direct_thread(world: World) -> None:
    """Digests of a city team are checked once per set of roles; a direct thread stays its two people's."""
    from icc.channels.models import Channel, Post

    cast = world.cast
    colleague = PersonFactory.create(email="rep_a2@example.org", full_name="Ana Colleague")
    give_role(colleague, RoleKind.CITY_REP, cast.programme, city=cast.city_a)  # the same roles as rep_a
    thread = Channel.objects.create(programme=cast.programme, kind="direct")
    thread.people.set([cast.person("rep_a"), cast.person("lead_expert")])
    secret = Post.objects.create(channel=thread, author=cast.person("lead_expert"), body="Just between us")
    for person in (cast.person("rep_a"), colleague):
        for kind, target in ((Kind.DIRECT, secret), (Kind.KPI_LATE, world.roadmap.kpi)):
            actions.notify(kind=kind, people=[person.pk], programme=cast.programme, target=target)
    Notification.objects.update(created_at=MONDAY - dt.timedelta(days=1))
    send_digests(now=MONDAY)
    mine, theirs = _digest_to("rep_a@example.org"), _digest_to("rep_a2@example.org")
    assert "Just between us" in mine.body and "Energy use" in mine.body
    assert "Just between us" not in theirs.body and "Energy use" in theirs.body
