"""Who opens the city toolbox, which items, and who adds and changes them.

The toolbox is "only accessible to ICC participants and mentors": the programme team,
the experts, and the representatives, mayors and mentors of the cities. Ecosystem
stakeholders and the public never open it (404, as for anything one may not see).

An item shared with the whole programme is open to all of them; with a theme, to the
thematic experts of that theme and the people of the cities on that track; with a TAG,
to the people who open that TAG (its cities, its mentor, its experts); with a city, to
that city's team and its lead expert. The programme team opens everything.

The programme's own kinds (guidance, thematic, transversal) are added by the programme
team and the experts; anyone taking part shares mentor resources and case material with
an audience they belong to; deliverables come only from a city's accepted final version.
An item is changed by whoever added it or by the programme team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from icc.cities.access import can_edit_city, get_programme_for_user
from icc.cities.models import City, RoleKind
from icc.cities.roles import CITY_VIEW_ROLES, is_participant, is_programme_team, roles_of, thematic_tracks
from icc.core.params import MAX_ID
from icc.journey.models import Submission
from icc.library.models import PROGRAMME_KINDS, SHARED_KINDS, Audience, Item, Version
from icc.programmes.models import Programme, Theme
from icc.tags.access import visible_tags
from icc.tags.models import Tag

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

    Someone = Person | AnonymousUser

EXPERT_ROLES = (RoleKind.LEAD_EXPERT, RoleKind.THEMATIC_EXPERT, RoleKind.TRANSVERSAL_EXPERT)


def may_use_library(person: Someone, programme: Programme) -> bool:
    return is_programme_team(person, programme) or is_participant(person, programme)


def is_expert(person: Someone, programme: Programme) -> bool:
    return roles_of(person).filter(programme=programme, kind__in=EXPERT_ROLES).exists()


def my_city_ids(person: Someone, programme: Programme) -> Any:
    return roles_of(person).filter(programme=programme, kind__in=CITY_VIEW_ROLES).values("city")


def my_themes(person: Someone, programme: Programme) -> QuerySet[Theme]:
    """Themes followed as a thematic expert, or the tracks of one's cities."""
    tracks = City.objects.filter(pk__in=my_city_ids(person, programme)).values("track")
    return Theme.objects.filter(programme=programme).filter(
        Q(pk__in=thematic_tracks(person, programme)) | Q(pk__in=tracks)
    )


def visible_items(person: Someone, programme: Programme, *, read_once: bool = False) -> QuerySet[Item]:
    """The items of ``programme`` that ``person`` may open (none for a stakeholder).

    With ``read_once`` the person's themes, TAGs and cities are read now into lists, so
    that a query checking many items one by one (the search) does not look them up again
    for each."""
    items = Item.objects.filter(programme=programme)
    if is_programme_team(person, programme):
        return items
    if not is_participant(person, programme):
        return items.none()
    themes: Any = my_themes(person, programme).values("pk")
    tags: Any = visible_tags(person, programme).values("pk")
    cities: Any = my_city_ids(person, programme)
    if read_once:
        themes, tags, cities = (
            [row["pk"] for row in themes],
            [row["pk"] for row in tags],
            [row["city"] for row in cities],
        )
    return items.filter(
        Q(audience=Audience.PROGRAMME)
        | Q(audience=Audience.THEME, audience_theme__in=themes)
        | Q(audience=Audience.TAG, audience_tag__in=tags)
        | Q(audience=Audience.CITY, audience_city__in=cities)
    )


def get_library_for_user(person: Someone, slug: str) -> Programme:
    programme = get_programme_for_user(person, slug)
    if not may_use_library(person, programme):
        raise Http404
    return programme


def get_item_for_user(person: Someone, pk: int, *, write: bool = False) -> Item:
    """An item ``person`` may open; with ``write``, one they may change (403 otherwise)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    item = (
        Item.objects.select_related("programme", "phase", "audience_theme", "audience_tag", "audience_city")
        .filter(pk=pk)
        .first()
    )
    if item is None or not visible_items(person, item.programme).filter(pk=item.pk).exists():
        raise Http404
    if write and not may_change(person, item):
        raise PermissionDenied
    return item


def get_version_for_user(person: Someone, pk: int) -> Version:
    """A file version, only through an item ``person`` may open at this moment."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    version = Version.objects.select_related("item").filter(pk=pk).first()
    if version is None:
        raise Http404
    get_item_for_user(person, version.item_id)
    return version


def may_change(person: Someone, item: Item) -> bool:
    return is_programme_team(person, item.programme) or (person.is_authenticated and item.added_by_id == person.pk)


def kinds_for(person: Someone, programme: Programme) -> tuple[str, ...]:
    """The kinds ``person`` may add (deliverables come from the journey, never from this form)."""
    if is_programme_team(person, programme) or is_expert(person, programme):
        return (*PROGRAMME_KINDS, *SHARED_KINDS)
    if is_participant(person, programme):
        return SHARED_KINDS
    return ()


def audiences_for(person: Someone, programme: Programme) -> dict[str, Any]:
    """What ``person`` may share an item with: the audiences they belong to themselves."""
    if is_programme_team(person, programme):
        return {
            "themes": Theme.objects.filter(programme=programme),
            "tags": Tag.objects.filter(programme=programme),
            "cities": City.objects.filter(programme=programme),
        }
    return {
        "themes": my_themes(person, programme),
        "tags": visible_tags(person, programme),
        "cities": City.objects.filter(pk__in=my_city_ids(person, programme)),
    }


def may_offer(person: Someone, submission: Submission) -> bool:
    """A city's team (or the programme team) shares the city's own deliverables."""
    return may_offer_city(person, submission.city)


def may_offer_city(person: Someone, city: City) -> bool:
    return can_edit_city(person, city)


def require_adder(person: Someone, programme: Programme) -> None:
    if not kinds_for(person, programme):
        raise PermissionDenied
