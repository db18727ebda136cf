"""Everything that changes TAGs, labs and awards. Each change is atomic and audited.

The views call these after ``icc.tags.access`` has decided who may: an action checks
what the change itself needs (sizes, dates, duplicates, the state of a vote), not who
asks for it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.cities.models import MENTOR_TYPES, City
from icc.cities.roles import city_ids_of, holds_a_role
from icc.core.models import AuditKind, record
from icc.core.versioning import lock_at_version, save_versioned
from icc.journey.models import EventType
from icc.programmes.models import Programme, Theme
from icc.tags.models import (
    Award,
    BrainDate,
    Commitment,
    CommitmentStatus,
    Lab,
    MentorPreference,
    Nomination,
    Pick,
    Project,
    RequestStatus,
    Reveal,
    SecondMentorRequest,
    Session,
    SessionKind,
    Tag,
    Topic,
    TopicVote,
    UseCase,
    Vote,
)

if TYPE_CHECKING:
    from icc.accounts.models import Person

MAX_TOPICS = 3
MAX_PICKS = 5
WORKING_MINUTES = 60
TRACKER_MINUTES = 90


def mentors_of(programme: Programme) -> list[City]:
    return list(City.objects.filter(programme=programme, type__in=MENTOR_TYPES).order_by("name"))


def mentors_theme(mentor: City, theme: Theme) -> bool:
    return mentor.track_id == theme.pk or mentor.secondary_themes.filter(pk=theme.pk).exists()


# Preferences ---------------------------------------------------------------------------


@transaction.atomic
def set_preferences(*, city: City, mentors: list[City], by: Person) -> None:
    """Replace the mentors ``city`` asked for, most wanted first (up to three)."""
    if len(mentors) > 3:
        raise ValidationError(_("Name at most three mentors."))
    if len({m.pk for m in mentors}) != len(mentors):
        raise ValidationError(_("Each mentor can be ranked only once."))
    for mentor in mentors:
        if mentor.programme_id != city.programme_id or not mentor.is_mentor:
            raise ValidationError(_("%(city)s is not a mentor city of this edition.") % {"city": mentor})
    MentorPreference.objects.filter(city=city).delete()
    MentorPreference.objects.bulk_create(
        MentorPreference(city=city, mentor=mentor, rank=rank) for rank, mentor in enumerate(mentors, start=1)
    )
    record(obj=city, action=AuditKind.MENTOR_PREFERENCES_SET, actor=by, changes={"mentors": [m.name for m in mentors]})


# Topics --------------------------------------------------------------------------------


@transaction.atomic
def propose_topic(*, tag: Tag, title: str, description: str, by: Person) -> Topic:
    if Topic.objects.select_for_update().filter(tag=tag).count() >= MAX_TOPICS:
        raise ValidationError(_("The mentor proposes at most three topics."))
    if tag.topics.filter(chosen=True).exists():
        raise ValidationError(_("The group has already chosen its topic."))
    topic = Topic.objects.create(tag=tag, title=title, description=description)
    record(obj=tag, action=AuditKind.TOPIC_PROPOSED, actor=by, changes={"topic": title})
    return topic


@transaction.atomic
def vote_for_topic(*, topic: Topic, city: City, replacing: int | None, by: Person) -> None:
    """A member city's vote for one topic; voting again moves the vote.

    ``city`` is one of the group's cities (``icc.tags.access.get_member_city_for_user``).
    ``replacing`` is the topic (or None) the city's vote was on when the person chose: if
    another representative of the city has moved the vote since, nothing changes."""
    if topic.tag.topics.filter(chosen=True).exists():
        raise ValidationError(_("The group has already chosen its topic."))
    existing = TopicVote.objects.select_for_update().filter(tag=topic.tag, city=city).select_related("topic").first()
    if (existing.topic_id if existing else None) != replacing:
        raise ValidationError(
            _(
                "Someone else from %(city)s changed the city's vote meanwhile: it is now on “%(topic)s”. Vote again to move it."
            )
            % {"city": city.name, "topic": existing.topic.title if existing else _("no topic")}
        )
    TopicVote.objects.update_or_create(tag=topic.tag, city=city, defaults={"topic": topic})
    record(obj=topic.tag, action=AuditKind.TOPIC_VOTE, actor=by, changes={"city": city.name, "topic": topic.title})


@transaction.atomic
def choose_topic(*, tag: Tag, by: Person) -> Topic:
    """Close the vote: the topic with most votes is chosen (the earlier proposal on a tie)."""
    topics = list(tag.topics.annotate(count=Count("votes")).order_by("-count", "pk"))
    if len(topics) < 2:
        raise ValidationError(_("The mentor proposes at least two topics before the group chooses."))
    if topics[0].count == 0:
        raise ValidationError(_("No city has voted yet."))
    Topic.objects.filter(tag=tag).update(chosen=False)
    Topic.objects.filter(pk=topics[0].pk).update(chosen=True)
    record(obj=tag, action=AuditKind.TOPIC_CHOSEN, actor=by, changes={"topic": topics[0].title})
    return topics[0]


# Sessions ------------------------------------------------------------------------------


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _spread(start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    """``count`` dates evenly inside [start, end], each on a weekday."""
    span = (end - start).days
    return [_weekday(start + dt.timedelta(days=span * (2 * i + 1) // (2 * count))) for i in range(count)]


def _agenda(programme: Programme, key: str) -> tuple[str, str]:
    event_type = EventType.objects.filter(programme=programme, key=key).first()
    if event_type is None:
        return "", ""
    agenda = "\n".join(f"{n}. {item}" for n, item in enumerate(event_type.agenda, start=1))
    preparation = "\n".join(f"- {item}" for item in event_type.checklist)
    return agenda, preparation


def session_dates(programme: Programme, offset: int) -> list[tuple[str, dt.date]]:
    """Working sessions: 2 in Ambition & roadmap, 8 in Implementation; trackers every 8 weeks in Implementation."""
    phases = {p.key: p for p in programme.phases.all()}
    dates: list[tuple[str, dt.date]] = []
    ambition, implementation = phases.get("ambition-roadmap"), phases.get("implementation")
    shift = dt.timedelta(days=offset)
    if ambition is not None:
        dates += [(SessionKind.WORKING, d + shift) for d in _spread(ambition.starts_on, ambition.ends_on, 2)]
    if implementation is not None:
        dates += [
            (SessionKind.WORKING, d + shift) for d in _spread(implementation.starts_on, implementation.ends_on, 8)
        ]
        day = implementation.starts_on + dt.timedelta(weeks=4)
        while day <= implementation.ends_on:
            dates.append((SessionKind.TRACKER, _weekday(day + shift)))
            day += dt.timedelta(weeks=8)
    return [(kind, _weekday(day)) for kind, day in dates]


def schedule_sessions(*, tag: Tag) -> int:
    """Create the TAG's working sessions and progress trackers, at 14:00 UTC on weekdays."""
    working_agenda, working_prep = _agenda(tag.programme, "tag-working-session")
    tracker_agenda, _tracker_prep = _agenda(tag.programme, "tag-progress-tracker")
    numbers: Counter[str] = Counter()
    sessions = []
    for kind, day in session_dates(tag.programme, (tag.number - 1) % 5):
        numbers[kind] += 1
        starts = dt.datetime.combine(day, dt.time(14), tzinfo=dt.UTC)
        minutes = WORKING_MINUTES if kind == SessionKind.WORKING else TRACKER_MINUTES
        sessions.append(
            Session(
                tag=tag,
                kind=kind,
                number=numbers[kind],
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=minutes),
                agenda=working_agenda if kind == SessionKind.WORKING else tracker_agenda,
                questions=working_prep if kind == SessionKind.WORKING else "",
            )
        )
    Session.objects.bulk_create(sessions)
    return len(sessions)


@transaction.atomic
def save_session(*, session: Session, expected_version: int, by: Person) -> Session:
    from icc.channels.actions import post_session_notes

    save_versioned(session, fields=["agenda", "pre_reads", "questions", "notes"], expected=expected_version)
    record(obj=session, action=AuditKind.SESSION_PREPARED, actor=by)
    post_session_notes(session=session, by=by)  # the notes, posted once to the TAG's channel and kept in step
    return session


@transaction.atomic
def commit(*, session: Session, city: City, text: str, by: Person) -> Commitment:
    """What ``city``, one of the group's cities, commits to at ``session``."""
    commitment = Commitment.objects.create(session=session, city=city, text=text)
    record(obj=session, action=AuditKind.COMMITMENT_MADE, actor=by, changes={"city": city.name, "text": text})
    return commitment


@transaction.atomic
def follow_up(*, commitment: Commitment, status: str, note: str, at: Session, by: Person) -> Commitment:
    """Record, at ``at``, how far a commitment made at the session before got
    (``icc.tags.access.get_commitment_for_user``)."""
    if status not in CommitmentStatus.values or status == CommitmentStatus.OPEN:
        raise ValidationError(_("Say whether the commitment was done, partly done or not done."))
    commitment.status = status
    commitment.follow_up = note
    commitment.followed_up_in = at
    commitment.save(update_fields=["status", "follow_up", "followed_up_in"])
    record(
        obj=at,
        action=AuditKind.COMMITMENT_FOLLOWED_UP,
        actor=by,
        changes={"city": commitment.city.name, "status": status},
    )
    return commitment


# Second mentor -------------------------------------------------------------------------


@transaction.atomic
def request_second_mentor(*, city: City, mentor: City, theme: Theme, message: str, by: Person) -> SecondMentorRequest:
    if not city.secondary_themes.filter(pk=theme.pk).exists():
        raise ValidationError(_("Ask for help on one of the city's secondary themes."))
    if not mentor.is_mentor or mentor.programme_id != city.programme_id:
        raise ValidationError(_("%(city)s is not a mentor city of this edition.") % {"city": mentor})
    if not mentors_theme(mentor, theme):
        raise ValidationError(_("%(mentor)s does not mentor %(theme)s.") % {"mentor": mentor, "theme": theme})
    membership = getattr(city, "tag_membership", None)
    if membership is not None and membership.tag.mentor_id == mentor.pk:
        raise ValidationError(_("%(mentor)s already leads the city's TAG.") % {"mentor": mentor})
    if SecondMentorRequest.objects.filter(city=city, theme=theme).exists():
        raise ValidationError(_("The city has already asked a mentor for this theme."))
    request = SecondMentorRequest.objects.create(city=city, mentor=mentor, theme=theme, message=message)
    record(
        obj=city, action=AuditKind.SECOND_MENTOR_ASKED, actor=by, changes={"mentor": mentor.name, "theme": theme.name}
    )
    return request


@transaction.atomic
def decide_request(*, request: SecondMentorRequest, accept: bool, by: Person) -> SecondMentorRequest:
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.decided_by = by
    request.save(update_fields=["status", "decided_by"])
    record(obj=request.city, action=AuditKind.SECOND_MENTOR_ANSWERED, actor=by, changes={"status": request.status})
    return request


# Labs ----------------------------------------------------------------------------------


@transaction.atomic
def add_lab(*, programme: Programme, lab: Lab, by: Person) -> Lab:
    """Add ``lab`` (filled in, not saved) to the edition."""
    lab.programme = programme
    lab.save()
    record(obj=lab, action=AuditKind.LAB_ADDED, actor=by, changes={"title": lab.title, "held on": str(lab.held_on)})
    return lab


@transaction.atomic
def add_project(*, lab: Lab, city: City, project: Project, by: Person) -> Project:
    """``city`` brings ``project`` (filled in, not saved) to ``lab``; one project per title and city."""
    project.lab, project.city = lab, city
    if Project.objects.filter(lab=lab, city=city, title=project.title).exists():
        raise ValidationError(_("Your city already brings a project with this title."))
    project.save()
    record(obj=lab, action=AuditKind.PROJECT_ADDED, actor=by, changes={"city": city.name, "title": project.title})
    return project


@transaction.atomic
def add_use_case(*, lab: Lab, city: City, use_case: UseCase, by: Person) -> UseCase:
    """``city`` brings a use case for joint procurement to ``lab``; one per category (whatever its case)."""
    use_case.lab, use_case.city = lab, city
    if UseCase.objects.filter(lab=lab, city=city, category__iexact=use_case.category).exists():
        raise ValidationError(_("Your city already brings a use case in this category."))
    use_case.save()
    record(
        obj=use_case,
        action=AuditKind.USE_CASE_ADDED,
        actor=by,
        changes={"city": city.name, "category": use_case.category},
    )
    return use_case


@transaction.atomic
def save_picks(*, lab: Lab, city: City, projects: list[Project], by: Person) -> None:
    """Replace a city's ranked picks of peer projects (at most five, none of its own)."""
    if timezone.localdate() > lab.picks_close_on:
        raise ValidationError(_("Picks closed on %(date)s.") % {"date": lab.picks_close_on})
    if len(projects) > MAX_PICKS:
        raise ValidationError(_("Pick at most five projects."))
    if len({p.pk for p in projects}) != len(projects):
        raise ValidationError(_("Each project can be picked only once."))
    for project in projects:
        if project.lab_id != lab.pk:
            raise ValidationError(_("That project is not part of this lab."))
        if project.city_id == city.pk:
            raise ValidationError(_("Pick your peers' projects, not your own."))
    Pick.objects.filter(lab=lab, city=city).delete()
    Pick.objects.bulk_create(
        Pick(lab=lab, city=city, project=project, rank=rank) for rank, project in enumerate(projects, start=1)
    )
    record(
        obj=lab, action=AuditKind.PICKS_SAVED, actor=by, changes={"city": city.name, "picks": [p.pk for p in projects]}
    )


@transaction.atomic
def record_takeaways(*, brain_date: BrainDate, takeaways: list[str], expected_version: int, by: Person) -> BrainDate:
    lock_at_version(brain_date, expected=expected_version)
    brain_date.version = expected_version + 1
    brain_date.takeaway_1, brain_date.takeaway_2, brain_date.takeaway_3 = ([*takeaways, "", "", ""])[:3]
    brain_date.recorded_by = by
    brain_date.save(update_fields=["takeaway_1", "takeaway_2", "takeaway_3", "recorded_by", "version"])
    record(obj=brain_date.lab, action=AuditKind.TAKEAWAYS_RECORDED, actor=by, changes={"brain date": brain_date.number})
    from icc.channels.actions import post_takeaways

    post_takeaways(brain_date=brain_date, by=by)  # the top 3, in the channel the brain date's cities share
    return brain_date


def solution_rooms(lab: Lab) -> list[tuple[Theme, list[Project]]]:
    """The lab's projects by theme: one solution room per theme that has projects."""
    rooms: dict[int, tuple[Theme, list[Project]]] = {}
    for project in lab.projects.select_related("theme", "city").order_by("theme__order", "city__name"):
        rooms.setdefault(project.theme_id, (project.theme, []))[1].append(project)
    return list(rooms.values())


def procurement_groups(lab: Lab) -> list[tuple[str, list[Any]]]:
    """Cities grouped by what they want to buy (the category, compared without case)."""
    groups: dict[str, tuple[str, list[Any]]] = {}
    for use_case in lab.use_cases.select_related("city"):
        key = " ".join(use_case.category.lower().split())
        groups.setdefault(key, (use_case.category, []))[1].append(use_case)
    return sorted(groups.values(), key=lambda item: (-len(item[1]), item[0].lower()))


# Awards --------------------------------------------------------------------------------


@transaction.atomic
def nominate(*, nomination: Nomination, by: Person) -> Nomination:
    programme = nomination.programme
    if Reveal.objects.filter(programme=programme, award=nomination.award).exists():
        raise ValidationError(_("The result of this award is out: nominations are closed."))
    if nomination.award == Award.MENTOR and (nomination.city is None or not nomination.city.is_mentor):
        raise ValidationError(_("Nominate a mentor city for the best mentor award."))
    if nomination.award == Award.STRATEGY and (nomination.city is None or nomination.city.is_mentor):
        raise ValidationError(_("Nominate a core city for the most innovative strategy."))
    if nomination.award == Award.COMMUNITY and nomination.person is None:
        raise ValidationError(_("Nominate a person for the best community member award."))
    if nomination.city is not None and nomination.city.programme_id != programme.pk:
        raise ValidationError(_("That city is not part of this edition."))
    if nomination.person is not None and not holds_a_role(nomination.person, programme.pk):
        raise ValidationError(_("That person is not part of this edition."))
    nomination.nominated_by = by
    nomination.save()
    record(obj=programme, action=AuditKind.AWARD_NOMINATION, actor=by, changes={"award": nomination.award})
    return nomination


@transaction.atomic
def vote(*, nomination: Nomination, by: Person) -> Vote:
    """One vote per eligible person (``icc.tags.access.get_nomination_for_user``) and award; voting
    again moves the vote. Nobody votes for their own city."""
    programme = nomination.programme
    if Reveal.objects.filter(programme=programme, award=nomination.award).exists():
        raise ValidationError(_("The result of this award is out: voting is closed."))
    if nomination.city_id is not None and nomination.city_id in city_ids_of(by, programme):
        raise ValidationError(_("You cannot vote for your own city."))
    if nomination.person_id == by.pk:
        raise ValidationError(_("You cannot vote for yourself."))
    ballot, _created = Vote.objects.update_or_create(
        programme=programme, award=nomination.award, voter=by, defaults={"nomination": nomination}
    )
    record(obj=programme, action=AuditKind.AWARD_VOTE, actor=by, changes={"award": nomination.award})
    return ballot


@transaction.atomic
def reveal(*, programme: Programme, award: str, by: Person) -> Reveal:
    if award not in Award.values:
        raise ValidationError(_("There is no such award."))
    result, _created = Reveal.objects.get_or_create(programme=programme, award=award, defaults={"revealed_by": by})
    record(obj=programme, action=AuditKind.AWARD_REVEALED, actor=by, changes={"award": award})
    return result
