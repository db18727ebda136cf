"""Channels: who is in which, writing, replies, mentions, files, reactions, pins, edits
with history, removal with a trace, direct threads, paging and automatic posts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PERSONAS, Cast
from icc.channels import actions
from icc.channels.models import Attachment, Channel, Kind, Mention, Origin, Post, Reaction
from icc.channels.views.shown import PER_PAGE
from icc.cities.models import Role
from icc.core.models import AuditEntry, AuditKind
from icc.journey.tests.test_deliverable_content import pdf
from icc.tags.models import Tag

pytestmark = pytest.mark.django_db
PARTICIPANTS = [p for p in PERSONAS if p not in ("stakeholder", "outsider", "anonymous")]


def _channel(cast: Cast, kind: str = Kind.QUESTIONS, **scope: Any) -> Channel:
    actions.ensure_channels(cast.programme)
    return Channel.objects.get(programme=cast.programme, kind=kind, **scope)


def _tag(cast: Cast) -> Tag:
    tag = Tag.objects.create(programme=cast.programme, number=1, theme=cast.city_a.track, mentor=cast.mentor_city)
    tag.memberships.create(city=cast.city_a)
    return tag


def _post(cast: Cast, channel: Channel, persona: str, body: str, **extra: Any) -> Any:
    return cast.client_for(persona).post(reverse("channels:post", kwargs={"pk": channel.pk}), {"body": body, **extra})


def _opens(cast: Cast, persona: str, channel: Channel) -> bool:
    return cast.client_for(persona).get(channel.get_absolute_url()).status_code == 200


def test_the_programme_has_a_questions_channel_one_per_theme_and_one_per_tag(cast: Cast) -> None:
    tag = _tag(cast)
    actions.ensure_channels(cast.programme)
    actions.ensure_channels(cast.programme)  # twice changes nothing
    assert Channel.objects.filter(programme=cast.programme, kind=Kind.QUESTIONS).count() == 1
    assert Channel.objects.filter(kind=Kind.THEME).count() == cast.programme.themes.count()
    assert Channel.objects.filter(kind=Kind.TAG, tag=tag).count() == 1


def test_everyone_taking_part_opens_the_questions_channel_and_stakeholders_do_not(cast: Cast) -> None:
    channel = _channel(cast)
    assert {p for p in PERSONAS if _opens(cast, p, channel)} == set(PARTICIPANTS)
    listing = reverse("channels:list", kwargs={"slug": cast.programme.slug})
    assert cast.client_for("stakeholder").get(listing).status_code == 404
    assert cast.client_for("rep_a").get(listing).status_code == 200


def test_a_theme_channel_is_for_its_experts_and_the_cities_on_its_track(cast: Cast) -> None:
    channel = _channel(cast, Kind.THEME, theme=cast.city_a.track)
    seen = {p for p in PARTICIPANTS if _opens(cast, p, channel)}
    assert seen == {"organiser", "lead_expert", "thematic_expert", "rep_a", "mayor_a", "mentor"}


def test_a_tag_channel_is_for_its_cities_mentor_and_experts(cast: Cast) -> None:
    channel = _channel(cast, Kind.TAG, tag=_tag(cast))
    seen = {p for p in PARTICIPANTS if _opens(cast, p, channel)}
    assert {"organiser", "rep_a", "mentor", "thematic_expert"} <= seen
    assert "rep_b" not in seen and "transversal_expert" not in seen


def test_a_post_to_a_channel_one_is_not_in_is_refused_and_stores_nothing(cast: Cast) -> None:
    channel = _channel(cast, Kind.THEME, theme=cast.city_a.track)
    for persona in ("rep_b", "stakeholder", "outsider"):
        assert _post(cast, channel, persona, "Hello").status_code == 404
    assert _post(cast, channel, "anonymous", "Hello").status_code == 302
    assert not Post.objects.exists()


def test_a_role_that_ends_closes_the_channel_at_once(cast: Cast) -> None:
    channel = _channel(cast, Kind.THEME, theme=cast.city_a.track)
    assert _opens(cast, "rep_a", channel)
    Role.objects.filter(person=cast.person("rep_a")).delete()
    assert not _opens(cast, "rep_a", channel)


def test_a_post_is_sanitised_markdown(cast: Cast) -> None:
    channel = _channel(cast)
    body = '**Bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)">'
    assert _post(cast, channel, "rep_a", body).status_code == 302
    page = cast.client_for("rep_b").get(channel.get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page and 'href="javascript' not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as the text it is


def test_an_empty_or_too_long_message_gets_a_message_and_stores_nothing(cast: Cast) -> None:
    channel = _channel(cast)
    assert _post(cast, channel, "rep_a", "   ").status_code == 400
    response = _post(cast, channel, "rep_a", "x" * 10_001)
    assert response.status_code == 400 and "10,000" in response.content.decode()
    assert not Post.objects.exists()


def test_a_reply_tells_the_author_and_a_mention_tells_only_people_in_the_channel(cast: Cast) -> None:
    from icc.inbox.models import Kind as Notice
    from icc.inbox.models import Notification

    channel = _channel(cast, Kind.THEME, theme=cast.city_a.track)
    rep_b = cast.person("rep_b")  # not on this theme's track
    mayor = cast.person("mayor_a")
    body = f"Hello @[{mayor.full_name}] and @[{rep_b.full_name}] and @[Nobody At All]"
    _post(cast, channel, "rep_a", body)
    post = Post.objects.get()
    assert set(Mention.objects.values_list("person_id", flat=True)) == {mayor.pk}
    assert Notification.objects.filter(person=mayor, kind=Notice.MENTION).count() == 1
    assert not Notification.objects.filter(person=rep_b).exists()
    page = cast.client_for("lead_expert").get(channel.get_absolute_url()).content.decode()
    assert f'<strong class="mention">@{mayor.full_name}</strong>' in page
    assert f"@[{rep_b.full_name}]" in page  # written, but no mention: nothing about them revealed
    reply = reverse("channels:reply", kwargs={"pk": post.pk})
    assert cast.client_for("mentor").post(reply, {"body": "Agreed."}).status_code == 302
    assert Notification.objects.filter(person=cast.person("rep_a"), kind=Notice.REPLY).count() == 1
    post.refresh_from_db()
    assert post.reply_count == 1


def test_a_reply_only_answers_a_post_of_the_same_channel(cast: Cast) -> None:
    questions = _channel(cast)
    theme = _channel(cast, Kind.THEME, theme=cast.city_b.track)
    _post(cast, theme, "rep_b", "In the other theme")
    other = Post.objects.get()
    assert (
        cast.client_for("rep_a").post(reverse("channels:reply", kwargs={"pk": other.pk}), {"body": "x"}).status_code
        == 404
    )
    _post(cast, questions, "rep_a", "Top")
    top = Post.objects.get(channel=questions)
    cast.client_for("rep_b").post(reverse("channels:reply", kwargs={"pk": top.pk}), {"body": "Answer"})
    answer = Post.objects.get(parent=top)
    # An answer is not a thread of its own.
    assert (
        cast.client_for("rep_a").post(reverse("channels:reply", kwargs={"pk": answer.pk}), {"body": "x"}).status_code
        == 404
    )


def test_a_file_goes_through_the_uploads_gate_and_is_served_only_to_the_channel(cast: Cast, settings: Any) -> None:
    channel = _channel(cast, Kind.THEME, theme=cast.city_a.track)
    good = SimpleUploadedFile("notes.pdf", pdf(b"BT /F1 12 Tf (Hi) Tj ET"), content_type="application/pdf")
    assert _post(cast, channel, "rep_a", "Our notes", upload=good).status_code == 302
    attachment = Attachment.objects.get()
    url = reverse("channels:download", kwargs={"pk": attachment.pk})
    assert cast.client_for("mayor_a").get(url).status_code == 200
    assert cast.client_for("rep_b").get(url).status_code == 404
    assert cast.client_for("stakeholder").get(url).status_code == 404
    disguised = SimpleUploadedFile(
        "notes.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    assert _post(cast, channel, "rep_a", "Again", upload=disguised).status_code == 400
    settings.ICC_MAX_DOCUMENT_BYTES = 100
    big = SimpleUploadedFile(
        "big.pdf", pdf(b"BT /F1 12 Tf (" + b"x" * 500 + b") Tj ET"), content_type="application/pdf"
    )
    response = _post(cast, channel, "rep_a", "Big", upload=big)
    assert response.status_code == 400
    assert Post.objects.count() == 1 and Attachment.objects.count() == 1


def test_reactions_toggle_and_only_offered_ones_are_taken(cast: Cast) -> None:
    channel = _channel(cast)
    _post(cast, channel, "rep_a", "React to me")
    post = Post.objects.get()
    url = reverse("channels:react", kwargs={"pk": post.pk})
    client = cast.client_for("rep_b")
    client.post(url, {"emoji": "thumbs-up"})
    assert Reaction.objects.filter(post=post).count() == 1
    client.post(url, {"emoji": "thumbs-up"})
    assert not Reaction.objects.exists()
    client.post(url, {"emoji": "<script>"})
    assert not Reaction.objects.exists()


def test_experts_and_the_programme_team_pin_and_others_do_not(cast: Cast) -> None:
    channel = _channel(cast)
    _post(cast, channel, "rep_a", "Important")
    post = Post.objects.get()
    url = reverse("channels:pin", kwargs={"pk": post.pk})
    assert cast.client_for("rep_a").post(url).status_code == 403
    assert cast.client_for("thematic_expert").post(url).status_code == 302
    post.refresh_from_db()
    assert post.pinned_at is not None
    page = cast.client_for("rep_b").get(channel.get_absolute_url()).content.decode()
    assert 'id="pinned-title"' in page


def test_an_edit_keeps_the_earlier_words_and_only_the_author_edits(cast: Cast) -> None:
    channel = _channel(cast)
    _post(cast, channel, "rep_a", "First words")
    post = Post.objects.get()
    edit = reverse("channels:edit", kwargs={"pk": post.pk})
    assert cast.client_for("organiser").post(edit, {"body": "Hijacked"}).status_code == 403
    assert cast.client_for("rep_a").post(edit, {"body": "Second words"}).status_code == 302
    post.refresh_from_db()
    assert post.body == "Second words" and post.edited_at is not None
    history = cast.client_for("rep_b").get(reverse("channels:history", kwargs={"pk": post.pk})).content.decode()
    assert "First words" in history and "Second words" in history


def test_removal_by_a_moderator_leaves_a_trace_but_not_the_words(cast: Cast) -> None:
    channel = _channel(cast)
    _post(cast, channel, "rep_a", "Something regrettable")
    post = Post.objects.get()
    remove = reverse("channels:remove", kwargs={"pk": post.pk})
    assert cast.client_for("rep_b").post(remove).status_code == 403
    assert cast.client_for("organiser").post(remove).status_code == 302
    post.refresh_from_db()
    assert post.is_removed and post.body == "" and post.removed_by == cast.person("organiser")
    page = cast.client_for("rep_b").get(channel.get_absolute_url()).content.decode()
    assert "Removed by a moderator" in page and "regrettable" not in page
    entry = AuditEntry.objects.get(action=AuditKind.CHANNEL_POST_REMOVED)
    assert "regrettable" not in entry.object_repr and entry.changes["by"] == "moderator"


def test_a_direct_thread_is_for_its_two_people_only(cast: Cast) -> None:
    channel = _channel(cast, Kind.THEME, theme=cast.city_a.track)
    _post(cast, channel, "lead_expert", "Ask me anything")
    lead = cast.person("lead_expert")
    start = reverse("channels:direct", kwargs={"slug": cast.programme.slug, "person_pk": lead.pk})
    response = cast.client_for("rep_a").post(start)
    direct = Channel.objects.get(kind=Kind.DIRECT)
    assert response.status_code == 302 and response["Location"] == direct.get_absolute_url()
    assert cast.client_for("rep_a").post(start)["Location"] == direct.get_absolute_url()  # the same thread again
    assert _opens(cast, "rep_a", direct) and _opens(cast, "lead_expert", direct)
    assert not _opens(cast, "organiser", direct) and not _opens(cast, "mayor_a", direct)
    # Someone one has never seen write cannot be found by their id.
    mayor = cast.person("mayor_a")
    probe = reverse("channels:direct", kwargs={"slug": cast.programme.slug, "person_pk": mayor.pk})
    assert cast.client_for("rep_b").post(probe).status_code == 404
    stakeholder = cast.person("stakeholder")
    probe = reverse("channels:direct", kwargs={"slug": cast.programme.slug, "person_pk": stakeholder.pk})
    assert cast.client_for("organiser").post(probe).status_code == 404


def test_a_channel_page_pages_its_posts_and_its_query_count_stays_flat(cast: Cast) -> None:
    channel = _channel(cast)
    rep = cast.person("rep_a")

    def fill(n: int) -> None:
        Post.objects.bulk_create([Post(channel=channel, author=rep, body=f"Message {i} **b**") for i in range(n)])
        for post in Post.objects.filter(channel=channel)[:5]:
            Reaction.objects.get_or_create(post=post, person=rep, emoji="heart")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert cast.client_for("rep_b").get(channel.get_absolute_url()).status_code == 200
        return len(captured)

    fill(5)
    queries()  # the first visit is remembered; later ones are counted
    few = queries()
    fill(PER_PAGE * 10)
    assert queries() == few
    page = cast.client_for("rep_b").get(channel.get_absolute_url()).content.decode()
    newest = Post.objects.filter(channel=channel).order_by("-pk").first()
    assert newest is not None and f'id="post-{newest.pk}"' in page and "?before=" in page
    older = cast.client_for("rep_b").get(channel.get_absolute_url() + "?before=not-a-number")
    assert older.status_code == 200


def test_a_thread_of_ten_thousand_replies_is_paged(cast: Cast) -> None:
    channel = _channel(cast)
    rep = cast.person("rep_a")
    top = Post.objects.create(channel=channel, author=rep, body="Top")
    Post.objects.bulk_create([Post(channel=channel, parent=top, author=rep, body=f"Reply {i}") for i in range(10_000)])
    Post.objects.filter(pk=top.pk).update(reply_count=10_000)
    url = reverse("channels:thread", kwargs={"pk": top.pk})
    client = cast.client_for("rep_b")
    short = Post.objects.create(channel=channel, author=rep, body="Short thread")
    Post.objects.create(channel=channel, parent=short, author=rep, body="Only reply")
    client.get(reverse("channels:thread", kwargs={"pk": short.pk}))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("channels:thread", kwargs={"pk": short.pk}))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and len(captured) == len(few)
    body = response.content.decode()
    assert body.count('<article class="post') == PER_PAGE + 1 and "?after=" in body
    assert cast.client_for("rep_b").get(url + "?after=99999999999999999999").status_code == 200


def test_new_posts_come_as_a_fragment_for_the_poller(cast: Cast) -> None:
    channel = _channel(cast)
    _post(cast, channel, "rep_a", "First")
    first = Post.objects.get()
    _post(cast, channel, "rep_b", "Second")
    url = reverse("channels:new", kwargs={"pk": channel.pk}) + f"?after={first.pk}"
    fragment = cast.client_for("mayor_a").get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Second" in fragment and "First" not in fragment and "<html" not in fragment
    assert 'id="poller"' in fragment
    assert cast.client_for("mayor_a").get(url).status_code == 302  # without htmx: the page itself
    assert (
        cast.client_for("rep_b")
        .get(
            reverse("channels:new", kwargs={"pk": _channel(cast, Kind.THEME, theme=cast.city_a.track).pk}) + "?after=0",
            headers={"HX-Request": "true"},
        )
        .status_code
        == 404
    )


def test_takeaways_and_session_notes_post_themselves_once(cast: Cast) -> None:
    import datetime as dt

    from django.utils import timezone

    from icc.tags import actions as tag_actions
    from icc.tags.models import BrainDate, Lab, Session

    tag = _tag(cast)
    day = dt.date(2026, 3, 2)
    lab = Lab.objects.create(programme=cast.programme, title="Lab", held_on=day, picks_close_on=day)
    brain_date = BrainDate.objects.create(lab=lab, number=1)
    brain_date.cities.set([cast.city_a, cast.mentor_city])
    expert = cast.person("thematic_expert")
    tag_actions.record_takeaways(
        brain_date=brain_date, takeaways=["One", "Two", "Three"], expected_version=0, by=expert
    )
    posted = Post.objects.get(origin=Origin.TAKEAWAYS)
    assert posted.channel.tag == tag and "1. One" in posted.body
    brain_date.refresh_from_db()
    tag_actions.record_takeaways(
        brain_date=brain_date, takeaways=["One", "Two", "Four"], expected_version=brain_date.version, by=expert
    )
    posted.refresh_from_db()
    assert Post.objects.filter(origin=Origin.TAKEAWAYS).count() == 1 and "3. Four" in posted.body
    starts = timezone.now()
    session = Session.objects.create(
        tag=tag, kind="working", number=1, starts_at=starts, ends_at=starts + dt.timedelta(hours=1), agenda="A"
    )
    session.notes = "We agreed on the data sharing plan."
    tag_actions.save_session(session=session, expected_version=session.version, by=cast.person("mentor"))
    notes = Post.objects.get(origin=Origin.SESSION_NOTES)
    assert notes.channel.tag == tag and "data sharing plan" in notes.body


def test_search_finds_a_message_only_for_people_in_its_channel(cast: Cast) -> None:
    from icc.search.query import search

    channel = _channel(cast, Kind.THEME, theme=cast.city_a.track)
    _post(cast, channel, "rep_a", "Our photovoltaic rooftops programme")
    found = {p for p in PERSONAS if p != "anonymous" and search(cast.person(p), "photovoltaic")}
    assert found == {"organiser", "lead_expert", "thematic_expert", "rep_a", "mayor_a", "mentor"}
    post = Post.objects.get()
    page = cast.client_for("mayor_a").get(reverse("search:search"), {"q": "photovoltaic"}).content.decode()
    assert reverse("channels:thread", kwargs={"pk": post.pk}) in page
    actions.remove_post(post=post, by=cast.person("organiser"))
    assert not search(cast.person("rep_a"), "photovoltaic")


def test_a_tag_page_leads_to_its_channel(cast: Cast) -> None:
    tag = _tag(cast)
    url = reverse("channels:tag", kwargs={"pk": tag.pk})
    response = cast.client_for("rep_a").get(url)
    assert response.status_code == 302 and response["Location"] == Channel.objects.get(tag=tag).get_absolute_url()
    assert cast.client_for("rep_b").get(url).status_code == 404
    assert cast.client_for("stakeholder").get(url).status_code == 404


def test_a_mention_inside_a_links_title_is_left_as_written(cast: Cast) -> None:
    channel = _channel(cast)
    mayor = cast.person("mayor_a")
    _post(cast, channel, "rep_a", f'[see](https://example.org "@[{mayor.full_name}]") and @[{mayor.full_name}]')
    page = cast.client_for("rep_b").get(channel.get_absolute_url()).content.decode()
    assert page.count('<strong class="mention">') == 1
    assert 'rel="noopener noreferrer nofollow"' in page


def test_a_direct_thread_closes_when_one_of_its_two_people_stops_taking_part(cast: Cast) -> None:
    lead, rep = cast.person("lead_expert"), cast.person("rep_a")
    direct = actions.open_direct(programme=cast.programme, people=[rep, lead])
    assert _opens(cast, "rep_a", direct)
    Role.objects.filter(person=lead).delete()
    assert not _opens(cast, "rep_a", direct)
