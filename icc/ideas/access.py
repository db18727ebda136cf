"""Who sees and changes calls for ideas, ideas and votes.

The public reaches a call through its city's published page: a draft call, a call of
another city, an idea still waiting for moderation or declined, are all 404, exactly like
an address that never existed. An idea's author reaches their own idea in any state
through its private link. The city team (those who may edit the city, and the programme
team) manages the city's calls: a call or idea of a city they do not see is a 404, of a
city they see but may not edit a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from icc.cities.access import get_city_for_user
from icc.ideas.keys import is_author_key
from icc.ideas.models import PUBLIC_STATES, Idea, IdeaCall
from icc.public.languages import language_of_country
from icc.public.models import Publication
from icc.roadmaps.models import Action

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person
    from icc.cities.models import City


# The public side ----------------------------------------------------------------------


def get_public_call(publication: Publication, call_id: int) -> IdeaCall:
    """A call of the published city, once the city has opened it."""
    call = (
        IdeaCall.objects.select_related("cycle")
        .filter(city_id=publication.city_id, pk=call_id)
        .exclude(status="draft")
        .first()
    )
    if call is None:
        raise Http404
    call.city = publication.city
    return call


def get_public_idea(call: IdeaCall, idea_id: int) -> Idea:
    """An idea of ``call`` that moderation let through (published, shortlisted or merged)."""
    idea = (
        Idea.objects.select_related("merged_into", "action")
        .filter(call=call, pk=idea_id, state__in=PUBLIC_STATES)
        .first()
    )
    if idea is None:
        raise Http404
    idea.call = call
    return idea


def get_author_idea(call: IdeaCall, idea_id: int, key: str) -> Idea:
    """An idea of ``call`` in any state, for whoever holds its private link."""
    idea = Idea.objects.select_related("merged_into", "action").filter(call=call, pk=idea_id).first()
    if idea is None or not is_author_key(idea, key):
        raise Http404
    idea.call = call
    return idea


# The city team ------------------------------------------------------------------------


def written_languages(city: City, publication: Publication | None) -> list[str]:
    """The languages the city writes its calls in: those of its public page, or, before it
    has one, the language of its country and English."""
    if publication is not None:
        return publication.written_languages
    default = language_of_country(city.country)
    return [default] if default == "en" else [default, "en"]


def default_language(city: City, publication: Publication | None) -> str:
    return publication.default_language if publication is not None else language_of_country(city.country)


def get_city_for_ideas(person: Person | AnonymousUser, city_id: int) -> tuple[City, Publication | None]:
    """The city whose calls ``person`` manages, and its public page if it has one."""
    city = get_city_for_user(person, city_id, write=True)
    return city, Publication.objects.filter(city=city).first()


def get_call_for_user(person: Person | AnonymousUser, call_id: int) -> IdeaCall:
    """A call of a city ``person`` manages."""
    call = IdeaCall.objects.select_related("cycle").filter(pk=call_id).first()
    if call is None:
        raise Http404
    call.city = get_city_for_user(person, call.city_id, write=True)
    return call


def get_idea_for_user(person: Person | AnonymousUser, idea_id: int) -> Idea:
    """An idea sent to a call of a city ``person`` manages."""
    idea = Idea.objects.select_related("call", "call__cycle", "merged_into", "action").filter(pk=idea_id).first()
    if idea is None:
        raise Http404
    idea.call.city = get_city_for_user(person, idea.call.city_id, write=True)
    return idea


def find_merge_target(idea: Idea, target_id: int) -> Idea:
    """The idea of the same call that ``idea`` is to be merged into (404 for any other)."""
    target = Idea.objects.filter(call_id=idea.call_id, pk=target_id).first()
    if target is None:
        raise Http404
    return target


def find_city_action(idea: Idea, action_id: int | None) -> Action | None:
    """The roadmap action of the idea's city it became (404 for another city's)."""
    if action_id is None:
        return None
    action = Action.objects.filter(city_id=idea.call.city_id, pk=action_id).first()
    if action is None:
        raise Http404
    return action
