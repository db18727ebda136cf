"""The demo's conversations: a question answered, a theme discussion, a TAG's pinned
preparation, a direct thread, an edited message and one a moderator removed.

Written once; running the demo again finds the programme's first question and changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from icc.accounts.models import Person
from icc.channels import actions
from icc.channels.models import Channel, Emoji, Kind, Post
from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import City, RoleKind
from icc.programmes.models import Programme
from icc.tags.models import Tag


def _person(persona: str) -> Person:
    return Person.objects.get(email=PERSONA_EMAILS[persona])


@transaction.atomic
def record_demo_channels(*, programme: Programme) -> int:
    """The demo's posts; returns how many were written."""
    actions.ensure_channels(programme)
    questions = Channel.objects.get(programme=programme, kind=Kind.QUESTIONS)
    if Post.objects.filter(channel=questions).exists():
        return 0
    people = {p: _person(p) for p in PERSONA_EMAILS if p != "stakeholder"}
    organiser, lead, thematic, rep, mayor, mentor = (
        people[p] for p in ("organiser", "lead_expert", "thematic_expert", "city_rep", "mayor", "mentor")
    )
    written: list[Post] = []

    def say(channel: Channel, by: Person, body: str, parent: Post | None = None) -> Post:
        post = actions.post_message(channel=channel, body=body, by=by, parent=parent)
        written.append(post)
        return post

    asked = say(
        questions,
        rep,
        "Does the **roadmap draft** have to cover every theme of our assessment, or only the themes "
        f"of our top three opportunities? @[{lead.full_name}]",
    )
    say(
        questions,
        lead,
        "Only the themes of your top three opportunities. Keep the other needs in the strategy's "
        "annex: they come back at the review and way forward.",
        parent=asked,
    )
    actions.react(post=asked, emoji=Emoji.THUMBS_UP, by=mayor)
    say(
        questions,
        organiser,
        "The **cycle planning sessions** of the first cycle are in every city's calendar. "
        "Subscribe to your city's calendar feed from *Preferences* to see them in your own calendar.",
    )
    city = City.objects.filter(programme=programme, roles__person=rep, roles__kind=RoleKind.CITY_REP).first()
    if city is not None and city.track_id:
        theme = Channel.objects.get(theme_id=city.track_id)
        opening = say(
            theme,
            thematic,
            "Welcome to the theme's channel. Share here what worked for you, and the questions "
            "the other cities on the track may already have answered.\n\n"
            "- what your city measures today\n- which data you are missing\n- whom you would like to meet",
        )
        first = say(
            theme, rep, "We measure energy use of public buildings every month; we miss data on mobility.", opening
        )
        actions.edit_post(
            post=first,
            body="We measure the energy use of our public buildings every month; "
            "we are missing data on mobility, above all on cycling.",
            by=rep,
        )
        actions.react(post=opening, emoji=Emoji.HEART, by=mayor)
        stray = say(theme, mentor, "Selling used bikes, good prices, write to me.")
        actions.remove_post(post=stray, by=organiser)
    tag = Tag.objects.filter(programme=programme, mentor__roles__person=mentor).first()
    if tag is not None:
        channel = Channel.objects.get(tag=tag)
        prep = say(
            channel,
            mentor,
            "Our next working session opens with the commitments of the last one. "
            "Please write yours below before we meet, with where you stand.",
        )
        actions.pin(post=prep, pinned=True, by=thematic)
    direct = actions.open_direct(programme=programme, people=[rep, lead])
    say(direct, rep, "Could we look at our KPI baselines together before the roadmap workshop?")
    say(direct, lead, "Yes: Thursday at 10:00 works for me. Bring the monitoring sheet.")
    return len(written)
