"""What each kind of notice points at, and whether its reader may still open it.

Every kind belongs to one family of targets (a post, a review, a KPI…). Reading notices,
on the inbox page or in a digest, asks each family once for all the ids it has, through
the owning app's own access rules, and gets back only the objects the person may open
now: what a role that ended used to open is simply not there, title and city included.
The words come from the object as it is now, so a renamed KPI shows its new name.

The number of queries depends on the families on the page, never on how many notices
there are (``icc/inbox/tests`` asserts it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.inbox.models import Kind, Notification

if TYPE_CHECKING:
    from icc.accounts.models import Person


class Reader:
    """The person reading notices, with the cities they may open read once.

    ``roles`` (when the caller read them in bulk) is everything the role-bound access
    rules look at: two readers with the same roles may open the same things.
    """

    def __init__(self, person: Person, roles: frozenset[tuple[Any, ...]] | None = None) -> None:
        self.person = person
        self.signature = None if roles is None else (person.is_superuser, roles)
        self._city_ids: frozenset[int] | None = None

    @property
    def city_ids(self) -> frozenset[int]:
        if self._city_ids is None:
            from icc.cities.access import visible_city_ids

            self._city_ids = visible_city_ids(self.person)
        return self._city_ids


@dataclass(frozen=True)
class Shown:
    """A notice as its reader sees it: the target's current words and address."""

    notification: Notification
    title: str
    context: str
    url: str

    @property
    def kind_label(self) -> str:
        return str(self.notification.get_kind_display())


Openable = Callable[[Reader, Collection[int]], dict[int, Any]]
Describe = Callable[[Notification, Any], tuple[str, str, str]]


@dataclass(frozen=True)
class Family:
    """A model notices point at: the objects a reader may open, and how a notice about one reads."""

    model: str  # "app_label.ModelName", checked when a notice is made
    openable: Openable
    describe: Describe
    # Which of some ids may be opened by whom not for the roles they hold but for who they
    # are (a direct thread's two people, an action's owner); None: none of them. Everything
    # else a reader may open depends on their roles alone.
    personal: Callable[[Collection[int]], set[int]] | None = None


def _everyone_apart(ids: Collection[int]) -> set[int]:
    return set(ids)


class Reach:
    """What readers with the same roles may open, remembered over one run of digests.

    A digest run reads many people's notices; those with the same roles (the people of one
    city team, say) may open the same things, so each family is asked once per set of
    roles, for every id the run will ask about (``expect``), rather than once per person.
    What depends on the person themselves (a direct thread, an owned action) is asked per
    person. The inbox page, for one person, simply asks.
    """

    def __init__(self) -> None:
        self._known: dict[tuple[str, Any], tuple[set[int], dict[int, Any]]] = {}
        self._expected: dict[str, set[int]] = defaultdict(set)
        self._personal: dict[str, dict[int, bool]] = defaultdict(dict)

    def expect(self, notifications: Iterable[Notification]) -> None:
        """The notices the run is about to read, so that each set of roles is asked once."""
        for notification in notifications:
            self._expected[family_of(notification.kind).model].add(notification.target_id)

    def _split(self, family: Family, ids: set[int]) -> tuple[set[int], set[int]]:
        if family.personal is None:
            return set(), ids
        known = self._personal[family.model]
        unknown = (ids | self._expected[family.model]) - known.keys()
        if unknown:
            personal = family.personal(unknown)
            known.update({pk: pk in personal for pk in unknown})
        return {pk for pk in ids if known[pk]}, {pk for pk in ids if not known[pk]}

    def openable(self, family: Family, reader: Reader, ids: Collection[int]) -> dict[int, Any]:
        if reader.signature is None:
            return family.openable(reader, ids)
        personal, shared = self._split(family, set(ids))
        found = family.openable(reader, personal) if personal else {}
        if shared:
            checked, known = self._known.setdefault((family.model, reader.signature), (set(), {}))
            new = shared - checked
            if new:
                apart = {pk for pk, mine in self._personal[family.model].items() if mine}
                ask = new | (self._expected[family.model] - checked - apart)
                known.update(family.openable(reader, ask))
                checked |= ask
            found.update({pk: known[pk] for pk in shared if pk in known})
        return found


def _day(value: str | None) -> str:
    if not value:
        return ""
    try:
        return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
    except ValueError:
        return ""


# Posts (the channels) -----------------------------------------------------------------


def _posts(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    try:
        from icc.channels.access import openable_posts
    except ImportError:  # the channels are not installed: there is nothing to open
        return {}
    return {post.pk: post for post in openable_posts(reader.person, list(ids))}


def _direct_posts(ids: Collection[int]) -> set[int]:
    """The posts of direct threads: only their two people open them, whatever their roles."""
    try:
        from icc.channels.models import Post
    except ImportError:
        return set()
    return set(Post.objects.filter(pk__in=list(ids), channel__kind="direct").values_list("pk", flat=True))


def _describe_post(notification: Notification, post: Any) -> tuple[str, str, str]:
    who = str(notification.actor) if notification.actor_id and notification.actor else _("Someone")
    headline = {
        Kind.MENTION: _("%(who)s mentioned you"),
        Kind.REPLY: _("%(who)s replied"),
        Kind.DIRECT: _("%(who)s wrote to you"),
    }.get(Kind(notification.kind), _("%(who)s wrote"))
    return str(post), headline % {"who": who}, post.get_absolute_url()


# The journey: reviews and follow-ups ---------------------------------------------------


def _reviews(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    from icc.journey.models import Review

    reviews = Review.objects.filter(pk__in=ids, submission__city_id__in=reader.city_ids).select_related(
        "submission__city", "submission__milestone__deliverable_type"
    )
    return {review.pk: review for review in reviews}


def _describe_review(notification: Notification, review: Any) -> tuple[str, str, str]:
    submission = review.submission
    url = reverse("journey:milestone", kwargs={"pk": submission.city_id, "milestone_pk": submission.milestone_id})
    return str(review), submission.city.name, url


def _follow_ups(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    from icc.journey.models import FollowUp

    follow_ups = FollowUp.objects.filter(pk__in=ids, city_id__in=reader.city_ids).select_related(
        "city", "event__event_type"
    )
    return {follow_up.pk: follow_up for follow_up in follow_ups}


def _describe_follow_up(notification: Notification, follow_up: Any) -> tuple[str, str, str]:
    title = _("%(text)s (due %(day)s)") % {"text": follow_up.text, "day": date_format(follow_up.due_on)}
    context = f"{follow_up.city.name} · {follow_up.event}"
    return title, context, follow_up.event.get_absolute_url()


# Roadmaps: cycle budgets, KPIs and actions ---------------------------------------------


def _cities(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    from icc.cities.models import City

    return {city.pk: city for city in City.objects.filter(pk__in=set(ids) & reader.city_ids)}


def _describe_sign_off(notification: Notification, city: Any) -> tuple[str, str, str]:
    number = int(notification.params.get("cycle") or 1)
    title = _("The budget of cycle %(number)s needs your sign-off") % {"number": number}
    return title, city.name, reverse("roadmaps:cycle", kwargs={"pk": city.pk, "number": number})


def _kpis(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    from icc.roadmaps.models import KPI

    kpis = KPI.objects.filter(pk__in=ids, city_id__in=reader.city_ids).select_related("city")
    return {kpi.pk: kpi for kpi in kpis}


def _describe_kpi(notification: Notification, kpi: Any) -> tuple[str, str, str]:
    day = _day(notification.params.get("due"))
    title = _("%(kpi)s: update due %(day)s") % {"kpi": kpi.name, "day": day} if day else kpi.name
    return title, kpi.city.name, reverse("roadmaps:kpi", kwargs={"pk": kpi.pk})


def _actions(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    from icc.roadmaps.models import Action

    owned = Action.objects.owned_by(reader.person).values("pk")
    actions = (
        Action.objects.filter(pk__in=ids)
        .filter(Q(city_id__in=reader.city_ids) | Q(pk__in=owned))
        .select_related("city")
    )
    return {action.pk: action for action in actions}


def _describe_action(notification: Notification, action: Any) -> tuple[str, str, str]:
    title = _("%(title)s (ended %(day)s)") % {"title": action.title, "day": date_format(action.ends_on)}
    return title, action.city.name, reverse("roadmaps:action", kwargs={"pk": action.pk})


# TAG sessions and the toolbox: open per programme --------------------------------------


def _by_programme(objects: Iterable[Any], programme_of: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for obj in objects:
        grouped[programme_of(obj)].append(obj)
    return grouped


def _sessions(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    from icc.tags.access import visible_tags
    from icc.tags.models import Session

    sessions = Session.objects.filter(pk__in=ids).select_related("tag__programme", "tag__mentor", "tag__theme")
    found: dict[int, Any] = {}
    for programme, members in _by_programme(sessions, lambda s: s.tag.programme).items():
        tags = set(
            visible_tags(reader.person, programme)
            .filter(pk__in={s.tag_id for s in members})
            .values_list("pk", flat=True)
        )
        found.update({s.pk: s for s in members if s.tag_id in tags})
    return found


def _describe_session(notification: Notification, session: Any) -> tuple[str, str, str]:
    starts = timezone.localtime(session.starts_at)
    title = _("%(session)s, %(when)s") % {"session": session, "when": date_format(starts, "DATETIME_FORMAT")}
    return title, str(session.tag), session.get_absolute_url()


def _items(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    from icc.library.access import visible_items
    from icc.library.models import Item

    items = Item.objects.filter(pk__in=ids).select_related("programme")
    found: dict[int, Any] = {}
    for programme, members in _by_programme(items, lambda i: i.programme).items():
        open_ids = set(
            visible_items(reader.person, programme).filter(pk__in={i.pk for i in members}).values_list("pk", flat=True)
        )
        found.update({i.pk: i for i in members if i.pk in open_ids})
    return found


def _describe_item(notification: Notification, item: Any) -> tuple[str, str, str]:
    return item.title, str(item.get_kind_display()), item.get_absolute_url()


# Access to finance: a person's own saved searches --------------------------------------


def _searches(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    from icc.finance.access import may_read_catalogue
    from icc.finance.models import SavedSearch

    searches = SavedSearch.objects.filter(pk__in=ids, person_id=reader.person.pk).select_related("programme")
    return {s.pk: s for s in searches if may_read_catalogue(reader.person, s.programme)}


def _describe_search(notification: Notification, search: Any) -> tuple[str, str, str]:
    count = int(notification.params.get("count") or 1)
    title = ngettext(
        "%(count)s new funding call matches “%(name)s”",
        "%(count)s new funding calls match “%(name)s”",
        count,
    ) % {"count": count, "name": search.name}
    call = notification.params.get("call")
    if call:
        url = reverse("finance:call", kwargs={"pk": int(call)})
    else:
        url = reverse("finance:searches", kwargs={"slug": search.programme.slug})
    return title, search.programme.name, url


# The early warning: a city its reader follows (programme team, lead expert) ----------------


def _followed_cities(reader: Reader, ids: Collection[int]) -> dict[int, Any]:
    from icc.reports.access import followed_cities

    return {city.pk: city for city in followed_cities(reader.person, ids)}


def _describe_risk(notification: Notification, city: Any) -> tuple[str, str, str]:
    percent = int(notification.params.get("percent") or 0)
    title = _("%(city)s is at risk of falling behind (%(percent)s %%)") % {"city": city.name, "percent": percent}
    return title, city.programme.name, reverse("reports:city_risk", kwargs={"pk": city.pk})


# The registry ---------------------------------------------------------------------------

POSTS = Family("channels.Post", _posts, _describe_post, personal=_direct_posts)
FAMILIES: dict[str, Family] = {
    Kind.MENTION: POSTS,
    Kind.REPLY: POSTS,
    Kind.DIRECT: POSTS,
    Kind.REVIEWED: Family("journey.Review", _reviews, _describe_review),
    Kind.SIGN_OFF: Family("cities.City", _cities, _describe_sign_off),
    Kind.KPI_DUE: (KPIS := Family("roadmaps.KPI", _kpis, _describe_kpi)),
    Kind.KPI_LATE: KPIS,
    Kind.SESSION_TOMORROW: Family("tags.Session", _sessions, _describe_session),
    Kind.FOLLOW_UP_OVERDUE: Family("journey.FollowUp", _follow_ups, _describe_follow_up),
    Kind.LIBRARY_ITEM: Family("library.Item", _items, _describe_item),
    Kind.ACTION_OVERDUE: Family("roadmaps.Action", _actions, _describe_action, personal=_everyone_apart),
    Kind.FUNDING_CALLS: Family("finance.SavedSearch", _searches, _describe_search, personal=_everyone_apart),
    Kind.RISK_FLAGGED: Family("cities.City", _followed_cities, _describe_risk),
}


def family_of(kind: str) -> Family:
    return FAMILIES[Kind(kind)]


def check_target(kind: str, target: Model) -> None:
    """Refuse a notice whose target is not the model its kind points at."""
    expected = family_of(kind).model
    if target._meta.label != expected:
        raise ValueError(f"a {kind} notice points at a {expected}, not a {target._meta.label}")


def resolve(
    person: Person,
    notifications: Sequence[Notification],
    *,
    roles: frozenset[tuple[Any, ...]] | None = None,
    reach: Reach | None = None,
) -> tuple[list[Shown], list[Notification]]:
    """The notices ``person`` may still open, as they read now, and those they no longer may.

    A run over many people passes each one's ``roles`` and one ``reach`` for all of them.
    """
    reader = Reader(person, roles)
    reach = reach or Reach()
    wanted: dict[Family, set[int]] = defaultdict(set)
    for notification in notifications:
        wanted[family_of(notification.kind)].add(notification.target_id)
    found = {family: reach.openable(family, reader, ids) for family, ids in wanted.items()}
    shown, gone = [], []
    for notification in notifications:
        family = family_of(notification.kind)
        target = found[family].get(notification.target_id)
        if target is None:
            gone.append(notification)
            continue
        title, context, url = family.describe(notification, target)
        shown.append(Shown(notification, title, context, url))
    return shown, gone
