"""Who opens the marketplace's pages, who writes what, who reviews and who confirms.

Published content is open to everyone taking part; a draft, a submission waiting for
review or a refusal only to whoever may change it and to the reviewers. A city's team
(those who may edit the city) writes the city's profile, its solutions and challenges
and its representatives and mayor confirm the deployments claimed in their city; the programme team and the editors
it appoints review. Ecosystem stakeholders and outsiders get 404, as elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from icc.cities.access import can_edit_city, get_programme_for_user
from icc.cities.models import City
from icc.cities.roles import is_mayor_of, is_programme_team, roles_of, speaks_for
from icc.core.params import MAX_ID
from icc.library.access import may_use_library
from icc.marketplace.models import (
    Challenge,
    CityProfile,
    Deployment,
    Editor,
    MarketConsultation,
    ProcurementGroup,
    Provider,
    ProviderMember,
    Review,
    Screenshot,
    Solution,
)
from icc.marketplace.vocabulary import ProviderKind
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

    Someone = Person | AnonymousUser

M = TypeVar("M", bound=Model)


def may_use_marketplace(person: Someone, programme: Programme) -> bool:
    """The people taking part, and the people a city invited to act for a provider."""
    return may_use_library(person, programme) or bool(acting_provider_ids(person, programme))


def is_reviewer(person: Someone, programme: Programme) -> bool:
    if is_programme_team(person, programme):
        return True
    return person.is_authenticated and Editor.objects.filter(programme=programme, person=person).exists()


def team_city_ids(person: Someone, programme: Programme) -> list[int]:
    """The cities of ``programme`` whose marketplace content ``person`` writes."""
    if is_programme_team(person, programme):
        return list(City.objects.filter(programme=programme).values_list("pk", flat=True))
    cities = City.objects.filter(pk__in=roles_of(person).filter(programme=programme).values("city"))
    return [city.pk for city in cities if can_edit_city(person, city)]


def _reach(person: Someone, programme: Programme, city_field: str) -> Q:
    """Published, or a city's own (whatever its review) for its team, or everything for reviewers."""
    if is_reviewer(person, programme):
        return Q(pk__isnull=False)  # everything (an empty Q would vanish when combined with |)
    return Q(review=Review.PUBLISHED) | Q(**{f"{city_field}__in": team_city_ids(person, programme)})


def visible_solutions(person: Someone, programme: Programme) -> QuerySet[Solution]:
    if not may_use_marketplace(person, programme):
        return Solution.objects.none()
    # A provider's people see the solutions they submit for it, whatever their review.
    acting = ProviderMember.objects.filter(person_id=person.pk or 0, provider__programme=programme).values("provider")
    own = Q(city=None, provider__in=acting)
    return Solution.objects.filter(programme=programme).filter(_reach(person, programme, "city") | own)


def visible_challenges(person: Someone, programme: Programme) -> QuerySet[Challenge]:
    if not may_use_marketplace(person, programme):
        return Challenge.objects.none()
    return Challenge.objects.filter(city__programme=programme).filter(_reach(person, programme, "city"))


def visible_providers(person: Someone, programme: Programme) -> QuerySet[Provider]:
    if not may_use_marketplace(person, programme):
        return Provider.objects.none()
    return Provider.objects.filter(programme=programme).filter(
        _reach(person, programme, "city") | Q(created_by=person.pk or 0)
    )


def get_marketplace_for_user(person: Someone, slug: str) -> Programme:
    programme = get_programme_for_user(person, slug)
    if not may_use_marketplace(person, programme):
        raise Http404
    return programme


def _one(queryset: QuerySet[M], pk: int) -> M:
    if not 0 < pk <= MAX_ID:
        raise Http404
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_write_for(person: Someone, city: City | None, programme: Programme) -> bool:
    if city is None:
        return is_programme_team(person, programme)
    return can_edit_city(person, city)


def get_solution_for_user(person: Someone, pk: int, *, write: bool = False) -> Solution:
    solution = Solution.objects.select_related("programme", "provider", "city").filter(pk=pk).first()
    if solution is None or not 0 < pk <= MAX_ID:
        raise Http404
    _one(visible_solutions(person, solution.programme), pk)
    if write and not may_write_for(person, solution.city, solution.programme):
        raise PermissionDenied
    return solution


def get_challenge_for_user(person: Someone, pk: int, *, write: bool = False) -> Challenge:
    challenge = Challenge.objects.select_related("city__programme", "theme").filter(pk=pk).first()
    if challenge is None or not 0 < pk <= MAX_ID:
        raise Http404
    _one(visible_challenges(person, challenge.city.programme), pk)
    if write and not can_edit_city(person, challenge.city):
        raise PermissionDenied
    return challenge


def get_provider_for_user(person: Someone, pk: int) -> Provider:
    provider = Provider.objects.select_related("programme").filter(pk=pk).first()
    if provider is None or not 0 < pk <= MAX_ID:
        raise Http404
    return _one(visible_providers(person, provider.programme), pk)


def get_deployment_for_user(person: Someone, pk: int, *, confirm: bool = False) -> Deployment:
    """A deployment of a solution ``person`` sees; with ``confirm``, in a city they speak for."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    deployment = Deployment.objects.select_related("solution__programme", "city").filter(pk=pk).first()
    if deployment is None:
        raise Http404
    get_solution_for_user(person, deployment.solution_id)
    if confirm and not speaks_for_city(person, deployment.city):
        raise PermissionDenied
    return deployment


def get_profile_for_user(person: Someone, city: City, *, write: bool = False) -> CityProfile | None:
    """The city's marketplace profile if ``person`` may see it (None when there is none yet)."""
    programme = city.programme
    if not may_use_marketplace(person, programme):
        raise Http404
    profile = CityProfile.objects.filter(city=city).first()
    mine = can_edit_city(person, city) or is_reviewer(person, programme)
    if write and not can_edit_city(person, city):
        raise PermissionDenied
    if (profile is not None and profile.is_published) or mine:
        return profile
    raise Http404  # a city without a published profile stays as secret as its page


def may_decide(person: Someone, item: Any, programme: Programme) -> bool:
    """A reviewer decides, except an editor on their own city's content (the programme team always may)."""
    if is_programme_team(person, programme):
        return True
    city_id = getattr(item, "city_id", None)
    return is_reviewer(person, programme) and city_id not in team_city_ids(person, programme)


def speaks_for_city(person: Someone, city: City) -> bool:
    """The city itself: its representatives (a mentor city's too) and its mayor, not the
    programme team or an expert, confirm what the city deployed."""
    return speaks_for(person, city) or is_mayor_of(person, city)


def require_reviewer(person: Someone, programme: Programme) -> None:
    if not is_reviewer(person, programme):
        raise PermissionDenied


def writable_cities(person: Someone, programme: Programme) -> QuerySet[City]:
    return City.objects.filter(pk__in=team_city_ids(person, programme)).order_by("name")


def may_edit_provider(person: Someone, provider: Provider) -> bool:
    """Who changes a provider's record: the programme team, whoever added it, the team of
    the city that is the provider, and the people a city invited to act for it."""
    if not person.is_authenticated:
        return False
    if is_programme_team(person, provider.programme) or provider.created_by_id == person.pk:
        return True
    if provider.city is not None and can_edit_city(person, provider.city):
        return True
    return acts_for(person, provider)


# The people of a provider: invited by a city's team, they keep the provider's record,
# submit its solutions for review and answer market consultations. They never write for a
# city (its profile, its challenges, its deployments) and never confirm a deployment.


def acting_provider_ids(person: Someone, programme: Programme) -> list[int]:
    if not person.is_authenticated:
        return []
    return list(
        ProviderMember.objects.filter(person_id=person.pk, provider__programme=programme).values_list(
            "provider_id", flat=True
        )
    )


def acts_for(person: Someone, provider: Provider) -> bool:
    return person.is_authenticated and ProviderMember.objects.filter(provider=provider, person_id=person.pk).exists()


def may_invite_for(person: Someone, provider: Provider) -> bool:
    """A city's team (or the programme team) invites people to act for a provider that is
    not a city (a city acts through its own team)."""
    return provider.kind != ProviderKind.CITY and bool(team_city_ids(person, provider.programme))


def may_write_provider_solution(person: Someone, solution: Solution) -> bool:
    """A solution a provider's people submitted (no city wrote it) is theirs to change."""
    return solution.city_id is None and (
        is_programme_team(person, solution.programme) or acts_for(person, solution.provider)
    )


def get_provider_for_editing(person: Someone, pk: int) -> Provider:
    """The provider ``pk`` for changing its record or its logo: 404 if unseen, 403 if not theirs."""
    provider = get_provider_for_user(person, pk)
    if not may_edit_provider(person, provider):
        raise PermissionDenied
    return provider


def get_provider_solution_for_user(person: Someone, pk: int) -> Solution:
    """A solution submitted for a provider, for its people (and the programme team) to change."""
    solution = get_solution_for_user(person, pk)
    if not may_write_provider_solution(person, solution):
        raise PermissionDenied
    return solution


def may_add_screenshots(person: Someone, solution: Solution) -> bool:
    return may_write_for(person, solution.city, solution.programme) or may_write_provider_solution(person, solution)


def get_member_for_user(person: Someone, pk: int) -> ProviderMember:
    """Someone acting for a provider, to remove: the programme team, or the team of the city
    that invited them (404 for whoever may not see the provider, 403 for the others)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    member = ProviderMember.objects.select_related("provider__programme", "person", "city").filter(pk=pk).first()
    if member is None:
        raise Http404
    get_provider_for_user(person, member.provider_id)
    programme = member.provider.programme
    if not (is_programme_team(person, programme) or (member.city is not None and can_edit_city(person, member.city))):
        raise PermissionDenied
    return member


def get_screenshot_for_user(person: Someone, pk: int, *, write: bool = False) -> Screenshot:
    """A screenshot is seen by whoever sees its solution; with ``write``, changed by its writers."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    screenshot = Screenshot.objects.filter(pk=pk).first()
    if screenshot is None:
        raise Http404
    solution = get_solution_for_user(person, screenshot.solution_id)
    if write and not may_add_screenshots(person, solution):
        raise PermissionDenied
    return screenshot


# Joint procurement and market consultations on a challenge.


def may_lead_challenge(person: Someone, challenge: Challenge) -> bool:
    """The challenge's city team and the programme team turn it into a group or a consultation."""
    return can_edit_city(person, challenge.city)


def market_groups(person: Someone, lab: Any) -> QuerySet[ProcurementGroup]:
    """The joint-procurement groups formed at ``lab`` from challenges ``person`` may see."""
    return (
        ProcurementGroup.objects.filter(lab=lab, challenge__in=visible_challenges(person, lab.programme))
        .select_related("challenge__city")
        .prefetch_related("members")
        .order_by("challenge__title")
    )


def get_group_for_user(person: Someone, challenge_pk: int) -> ProcurementGroup:
    challenge = get_challenge_for_user(person, challenge_pk)
    group = ProcurementGroup.objects.filter(challenge=challenge).select_related("challenge__city", "lab").first()
    if group is None:
        raise Http404
    return group


def get_consultation_for_user(person: Someone, challenge_pk: int) -> MarketConsultation:
    challenge = get_challenge_for_user(person, challenge_pk)
    consultation = MarketConsultation.objects.filter(challenge=challenge).select_related("challenge__city").first()
    if consultation is None:
        raise Http404
    return consultation


def reads_responses(person: Someone, consultation: MarketConsultation) -> bool:
    """The buyers read the responses: the challenge's city team, the teams of the cities that
    share it, and the reviewers. A provider sees only its own."""
    challenge = consultation.challenge
    programme = challenge.city.programme
    if can_edit_city(person, challenge.city) or is_reviewer(person, programme):
        return True
    mine = team_city_ids(person, programme)
    return bool(mine) and challenge.shared_by.filter(pk__in=mine).exists()


def responding_solutions(person: Someone, programme: Programme) -> QuerySet[Solution]:
    """The published solutions ``person`` may answer a consultation with: those of the
    providers they act for, and those of their own city when it is the provider."""
    if not person.is_authenticated:
        return Solution.objects.none()
    cities = team_city_ids(person, programme) if not is_programme_team(person, programme) else []
    return Solution.objects.filter(programme=programme, review=Review.PUBLISHED).filter(
        Q(provider__in=acting_provider_ids(person, programme)) | Q(provider__city__in=cities)
    )


# What everyone may see, signed in or not: published content only. The public pages and
# the open API read these, never the functions above.


def public_solutions(programme: Programme) -> QuerySet[Solution]:
    return Solution.objects.filter(programme=programme, review=Review.PUBLISHED)


def public_providers(programme: Programme) -> QuerySet[Provider]:
    return Provider.objects.filter(programme=programme, review=Review.PUBLISHED)


def public_challenges(programme: Programme) -> QuerySet[Challenge]:
    return Challenge.objects.filter(city__programme=programme, review=Review.PUBLISHED)


def public_profiles(programme: Programme) -> QuerySet[CityProfile]:
    return CityProfile.objects.filter(city__programme=programme, review=Review.PUBLISHED)


def public_deployments(programme: Programme) -> QuerySet[Deployment]:
    """Confirmed deployments of published solutions: the only ones that count."""
    return Deployment.objects.filter(
        solution__programme=programme, solution__review=Review.PUBLISHED, confirmed_at__isnull=False
    )


def get_public_marketplace(slug: str) -> Programme:
    """A programme whose marketplace faces the public: it published a solution or a city
    profile, or the programme has public pages. 404 otherwise, as for a made-up name."""
    from icc.public.access import get_public_programme

    programme = Programme.objects.filter(slug=slug).first()
    if programme is not None and (public_solutions(programme).exists() or public_profiles(programme).exists()):
        return programme
    return get_public_programme(slug)
