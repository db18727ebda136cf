"""Importing a marketplace export into a city (its profile, solutions, challenges and
deployments) or into a provider (its solutions and their deployments).

The file passes the gate (:mod:`.reading`), then the schema (:mod:`.schema`), then the
checks that need this instance: the file must be about this city or provider, its
themes must exist in this programme, a solution already here (same provider, same name)
is reported for merging instead of being added twice, and a deployment is taken only in
a city of this programme that the importer writes for. Only then is anything written,
in one transaction: any problem, and nothing is saved.

Everything imported lands as a draft and goes through review like anything written
here. Providers are records of facts and are there at once, as when added by hand. A
deployment is imported as a claim: only the deploying city confirms it, here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from icc.cities.models import City
from icc.core.models import AuditKind, record
from icc.core.uploads import UploadRefused
from icc.marketplace import access, actions
from icc.marketplace.models import Challenge, CityProfile, Deployment, Provider, Review, Solution
from icc.marketplace.portability import reading
from icc.marketplace.portability.export import absolute
from icc.marketplace.portability.schema import CITY_TYPE, SOLUTION_TYPE, Problem, context, pointer, problems
from icc.marketplace.vocabulary import ProviderKind, SolutionStatus
from icc.programmes.models import Programme, Theme

if TYPE_CHECKING:
    from icc.accounts.models import Person

PROFILE_KEYS = (
    "description",
    "openDataCharter",
    "openDataPortal",
    "platforms",
    "mims",
    "procurement",
    "contactPoint",
    "tenders",
)
# Where each model field is in the file, to point at the value a model check refuses.
SOLUTION_PATHS = {
    "name": "name",
    "summary": "description",
    "functions": "featureList",
    "mims": "mims",
    "data_models": "dataModels",
    "standards": "standards",
    "requirements": "softwareRequirements",
    "cost_model": "costModel",
    "licence": "license",
    "repository": "codeRepository",
    "development": "creativeWorkStatus",
    "sdgs": "sdgTargets",
}
PROVIDER_PATHS = {"name": "name", "kind": "providerKind", "country": "address/addressCountry", "website": "url"}
PROFILE_PATHS = {
    "summary": "description",
    "open_data_portal": "openDataPortal/homepage",
    "platforms": "platforms",
    "mims": "mims",
    "procurement": "procurement",
    "procurement_contact": "contactPoint/email",
    "tenders": "tenders",
}
CHALLENGE_PATHS = {
    "title": "name",
    "context": "description",
    "functions": "featureList",
    "data_models": "dataModels",
    "sdgs": "sdgTargets",
    "budget_min": "priceSpecification/minPrice",
    "budget_max": "priceSpecification/maxPrice",
    "needed_by": "validThrough",
    NON_FIELD_ERRORS: "priceSpecification",
}
DEPLOYMENT_PATHS = {"started_on": "startTime", "scale": "scale", "outcome": "description"}


@dataclass(frozen=True)
class Created:
    """Something the import added: ``kind`` is profile, provider, solution, challenge or deployment."""

    kind: str
    name: str
    url: str


@dataclass(frozen=True)
class Duplicate:
    """A solution of the file that is already here (same provider, same name), not added again.

    ``url`` is the one already here, when the importer may open it; ``in_file`` says the
    file itself holds it twice."""

    path: str
    name: str
    provider: str
    url: str = ""
    in_file: bool = False


@dataclass
class Outcome:
    created: list[Created] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # left out, with the reason
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class _Plan:
    """What an import will write, built and checked before anything is saved."""

    programme: Programme
    by: Person
    themes: dict[str, Theme]
    cities: dict[tuple[str, str], City]
    writable: set[int]
    outcome: Outcome = field(default_factory=Outcome)
    providers: dict[str, Provider] = field(default_factory=dict)
    solutions: list[tuple[Solution, list[Theme]]] = field(default_factory=list)
    by_id: dict[str, Solution] = field(default_factory=dict)
    by_name: dict[tuple[str, str], Solution] = field(default_factory=dict)
    profile: CityProfile | None = None
    challenges: list[Challenge] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)

    def error(self, path: str, message: str) -> None:
        self.outcome.errors.append(Problem(path, message))

    def note(self, path: str, message: str) -> None:
        self.outcome.notes.append(Problem(path, message))

    def clean(self, obj: Model, path: str, paths: dict[str, str], exclude: list[str]) -> None:
        """Run the model's own checks on ``obj``; each refusal points at its value in the file."""
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = f"{path}/{paths[name]}" if name in paths else path
                for message in messages:
                    self.error(where, message)


def _plan_for(programme: Programme, by: Person) -> _Plan:
    cities = {(_key(c.name), c.country): c for c in City.objects.filter(programme=programme)}
    return _Plan(
        programme=programme,
        by=by,
        themes={t.slug: t for t in Theme.objects.filter(programme=programme)},
        cities=cities,
        writable=set(access.team_city_ids(by, programme)),
    )


def _city_url(city: City) -> str:
    return absolute(reverse("marketplace:profile", kwargs={"pk": city.pk}))


def _country(node: dict[str, Any]) -> str:
    country: str = node.get("address", {}).get("addressCountry", "")
    return country


def _find_city(plan: _Plan, node: dict[str, Any]) -> City | None:
    """The city of this programme a city node names: by its address here, or by name and country."""
    for city in plan.cities.values():
        if node.get("@id") == _city_url(city):
            return city
    return plan.cities.get((_key(node["name"]), _country(node)))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _themes(plan: _Plan, terms: list[dict[str, Any]], path: str) -> list[Theme]:
    found = []
    for index, term in enumerate(terms):
        theme = plan.themes.get(term["termCode"])
        if theme is None:
            plan.error(
                f"{path}/about/{index}/termCode",
                _("There is no theme “%(code)s” in this programme; its themes are: %(themes)s.")
                % {"code": term["termCode"], "themes": ", ".join(sorted(plan.themes)) or "—"},
            )
        else:
            found.append(theme)
    return found


# Providers -------------------------------------------------------------------------------


def _provider_here(plan: _Plan, node: dict[str, Any], path: str) -> Provider | None:
    """The provider of this programme a solution's provider node names, or a new one to add."""
    name = " ".join(node["name"].split())
    if _key(name) in plan.providers:
        return plan.providers[_key(name)]
    provider = Provider.objects.filter(programme=plan.programme, name__iexact=name).first()
    if provider is None:
        provider = Provider(
            programme=plan.programme,
            name=name,
            kind=node["providerKind"],
            country=_country(node),
            website=node.get("url", ""),
            review=Review.PUBLISHED,  # a record of facts, there at once as when added by hand
            created_by=plan.by,
        )
        if provider.kind == ProviderKind.CITY:
            provider.city = _find_city(plan, node)
            if provider.city is None:
                plan.error(
                    f"{path}/name",
                    _("The provider is the city %(name)s (%(country)s), which is not in this programme.")
                    % {"name": name, "country": _country(node)},
                )
                return None
        plan.clean(provider, path, PROVIDER_PATHS, ["created_by"])
    plan.providers[_key(name)] = provider
    return provider


def _the_provider(plan: _Plan, node: dict[str, Any], path: str, provider: Provider) -> Provider | None:
    """In a provider's import, every solution must be that provider's."""
    if node.get("@id") == absolute(provider.get_absolute_url()) or _key(node["name"]) == _key(provider.name):
        return provider
    plan.error(
        f"{path}/name",
        _("This solution is offered by %(other)s; the file is being imported into %(provider)s.")
        % {"other": node["name"], "provider": provider.name},
    )
    return None


# Solutions -------------------------------------------------------------------------------


def _visible_url(plan: _Plan, solution: Solution) -> str:
    if access.visible_solutions(plan.by, plan.programme).filter(pk=solution.pk).exists():
        return solution.get_absolute_url()
    return ""  # another city's draft: not named


def _solution(plan: _Plan, node: dict[str, Any], path: str, provider: Provider, city: City | None) -> None:
    name = " ".join(node["name"].split())
    solution = Solution(
        programme=plan.programme,
        provider=provider,
        city=city,
        name=name,
        summary=node["description"],
        functions=node["featureList"],
        mims=node.get("mims", []),
        data_models=node.get("dataModels", []),
        ngsi_ld=node.get("ngsiLd", False),
        standards=node.get("standards", ""),
        requirements=node.get("softwareRequirements", ""),
        cost_model=node["costModel"],
        licence=node.get("license", ""),
        repository=node.get("codeRepository", ""),
        development=node.get("creativeWorkStatus", SolutionStatus.STABLE),
        sdgs=node.get("sdgTargets", []),
        review=Review.DRAFT,
    )
    themes = _themes(plan, node.get("about", []), path)
    key = (_key(provider.name), _key(name))
    if key in plan.by_name:
        plan.outcome.duplicates.append(Duplicate(path, name, provider.name, in_file=True))
        return
    twin = actions.duplicate_of(solution) if provider.pk else None
    if twin is not None:
        url = _visible_url(plan, twin)
        plan.outcome.duplicates.append(Duplicate(path, name, provider.name, url=url))
        if url:  # its deployments in the file go to the one already here
            plan.by_name[key] = twin
            plan.by_id[node.get("@id", "")] = twin
        return
    plan.clean(solution, path, SOLUTION_PATHS, ["created_by", "provider"])
    plan.solutions.append((solution, themes))
    plan.by_name[key] = solution
    if node.get("@id"):
        plan.by_id[node["@id"]] = solution


# Profile, challenges, deployments ---------------------------------------------------------


def _profile(plan: _Plan, city: City, node: dict[str, Any]) -> None:
    if not any(key in node for key in PROFILE_KEYS):
        return
    if CityProfile.objects.filter(city=city).exists():
        plan.note("/about", _("%(city)s already has a marketplace profile here; it is kept as it is.") % {"city": city})
        return
    profile = CityProfile(
        city=city,
        summary=node.get("description", ""),
        open_data_portal=node.get("openDataPortal", {}).get("homepage", ""),
        open_data_charter=node.get("openDataCharter", False),
        platforms=node.get("platforms", ""),
        mims=node.get("mims", []),
        procurement=node.get("procurement", ""),
        procurement_contact=node.get("contactPoint", {}).get("email", ""),
        tenders=node.get("tenders", ""),
        review=Review.DRAFT,
    )
    plan.clean(profile, "/about", PROFILE_PATHS, ["created_by"])
    plan.profile = profile


def _challenge(plan: _Plan, city: City, node: dict[str, Any], path: str) -> None:
    themes = _themes(plan, node["about"], path)
    title = " ".join(node["name"].split())
    if any(_key(c.title) == _key(title) for c in plan.challenges) or (
        Challenge.objects.filter(city=city, title__iexact=title).exists()
    ):
        plan.note(
            path,
            _("%(city)s already has the challenge “%(title)s”; it is not added again.")
            % {
                "city": city,
                "title": title,
            },
        )
        return
    if not themes:
        return
    price = node.get("priceSpecification", {})
    challenge = Challenge(
        city=city,
        title=title,
        context=node["description"],
        theme=themes[0],
        functions=node.get("featureList", []),
        data_models=node.get("dataModels", []),
        sdgs=node.get("sdgTargets", []),
        budget_min=price.get("minPrice"),
        budget_max=price.get("maxPrice"),
        needed_by=_date(node.get("validThrough")),
        review=Review.DRAFT,
    )
    plan.clean(challenge, path, CHALLENGE_PATHS, ["created_by", "shared_by"])
    plan.challenges.append(challenge)


def _deployed(plan: _Plan, node: dict[str, Any]) -> Solution | None:
    """The solution a deployment is of: one of the file, or one already here the importer sees."""
    found = plan.by_id.get(node.get("@id", ""))
    key = (_key(node["provider"]["name"]), _key(node["name"]))
    if found is None:
        found = plan.by_name.get(key)
    if found is None:
        found = (
            access.visible_solutions(plan.by, plan.programme)
            .filter(provider__name__iexact=node["provider"]["name"].strip(), name__iexact=node["name"].strip())
            .first()
        )
    return found


def _deployment(plan: _Plan, node: dict[str, Any], path: str) -> None:
    solution = _deployed(plan, node["object"])
    agent = node["agent"]
    words = {"solution": node["object"]["name"], "city": agent["name"]}
    if solution is None:
        plan.note(
            path,
            _("“%(solution)s” is not in this marketplace, or not open to you: its deployment in %(city)s is left out.")
            % words,
        )
        return
    city = _find_city(plan, agent)
    if city is None:
        plan.note(path, _("%(city)s is not in this programme: its deployment of “%(solution)s” is left out.") % words)
        return
    if city.pk not in plan.writable:
        plan.note(
            path, _("Only the team of %(city)s records its deployments: “%(solution)s” there is left out.") % words
        )
        return
    twice = any(d.solution is solution and d.city_id == city.pk for d in plan.deployments)
    if twice or (solution.pk and Deployment.objects.filter(solution=solution, city=city).exists()):
        plan.note(path, _("The deployment of “%(solution)s” in %(city)s is already recorded.") % words)
        return
    deployment = Deployment(
        solution=solution,
        city=city,
        started_on=dt.date.fromisoformat(node["startTime"]),
        scale=node["scale"].strip(),
        outcome=node.get("description", "").strip(),
        claimed_by=plan.by,
    )  # a claim: the deploying city confirms it here
    plan.clean(deployment, path, DEPLOYMENT_PATHS, ["solution", "claimed_by"])
    plan.deployments.append(deployment)


# Reading, planning, writing -----------------------------------------------------------------


def _read(source: IO[bytes], size: int | None) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The document, once it passed the gate, the schema and the context check."""
    try:
        document = reading.parse(reading.read_limited(source, size=size))
    except UploadRefused as refused:
        return None, [Problem("", refused.text)]
    found = problems(document)
    if found:
        return None, found
    if document["@context"] != context():
        message = _("The file does not use the marketplace's JSON-LD context: export it again from the marketplace.")
        return None, [Problem("/@context", message)]
    return document, []


def _elements(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(pointer(["dataFeedElement", i]), node) for i, node in enumerate(document["dataFeedElement"])]


def _write(plan: _Plan, subject: Model, source: str) -> None:
    """Everything planned, in one transaction."""
    outcome, by = plan.outcome, plan.by
    with transaction.atomic():
        for provider in plan.providers.values():
            if provider.pk is None:
                provider.save()
                outcome.created.append(Created("provider", provider.name, provider.get_absolute_url()))
        for solution, themes in plan.solutions:
            solution.provider = solution.provider  # its id, now that a new provider has one
            actions.save_solution(solution=solution, themes=themes, by=by)
            outcome.created.append(Created("solution", solution.name, solution.get_absolute_url()))
        if plan.profile is not None:
            actions.save_profile(profile=plan.profile, by=by)
            outcome.created.append(Created("profile", str(plan.profile.city), plan.profile.get_absolute_url()))
        for challenge in plan.challenges:
            actions.save_challenge(challenge=challenge, by=by)
            outcome.created.append(Created("challenge", challenge.title, challenge.get_absolute_url()))
        for deployment in plan.deployments:
            deployment.solution = deployment.solution  # its id, now that a new solution has one
            deployment.save()
            changes = {"city": deployment.city.name, "confirmed": False, "imported": True}
            record(obj=deployment.solution, action=AuditKind.DEPLOYMENT_CLAIMED, actor=by, changes=changes)
            outcome.created.append(Created("deployment", f"{deployment.solution.name} · {deployment.city.name}", ""))
        counts: dict[str, int] = {}
        for item in outcome.created:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        changes = {"imported": counts, "duplicates": len(outcome.duplicates)}
        record(obj=subject, action=AuditKind.MARKET_WRITTEN, actor=by, changes=changes, source=source)


def _names(about: dict[str, Any], url: str, name: str, country: str) -> bool:
    """Whether the file is about this city or provider: its address here, or its name and country."""
    return about.get("@id") == url or (_key(about["name"]), _country(about)) == (_key(name), country)


def _run(plan: _Plan, subject: Model, source: str, fill: Callable[[], None]) -> Outcome:
    fill()
    outcome = plan.outcome
    if outcome.errors:
        return Outcome(errors=outcome.errors[:100])
    try:
        _write(plan, subject, source)
    except (ValidationError, DatabaseError) as error:
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return Outcome(errors=[Problem("", _("Nothing was saved: %(reason)s") % {"reason": reason[:300]})])
    return outcome


def import_city(*, city: City, source: IO[bytes], by: Person, size: int | None = None, label: str = "") -> Outcome:
    """Import a city's export into ``city``: all of it, or nothing when anything is wrong."""
    document, refused = _read(source, size)
    if document is None:
        return Outcome(errors=refused)
    about = document["about"]
    if about["@type"] != CITY_TYPE:
        return Outcome(errors=[Problem("/about", _("This is a provider's file: import it on that provider's page."))])
    if not _names(about, _city_url(city), city.name, city.country):
        message = _(
            "This file is about %(other)s (%(other_country)s), not %(city)s (%(country)s): "
            "a city imports only its own content."
        ) % {"other": about["name"], "other_country": _country(about), "city": city.name, "country": city.country}
        return Outcome(errors=[Problem("/about", message)])
    plan = _plan_for(city.programme, by)

    def fill() -> None:
        _profile(plan, city, about)
        for path, node in _elements(document):
            if node["@type"] == SOLUTION_TYPE:
                provider = _provider_here(plan, node["provider"], f"{path}/provider")
                if provider is not None:
                    _solution(plan, node, path, provider, city)
            elif node["@type"] == "Demand":
                _challenge(plan, city, node, path)
        for path, node in _elements(document):
            if node["@type"] == "UseAction":
                _deployment(plan, node, path)

    return _run(plan, city, label, fill)


def import_provider(
    *, provider: Provider, source: IO[bytes], by: Person, size: int | None = None, label: str = ""
) -> Outcome:
    """Import a provider's export into ``provider``: all of it, or nothing when anything is wrong."""
    document, refused = _read(source, size)
    if document is None:
        return Outcome(errors=refused)
    about = document["about"]
    if about["@type"] != "Organization":
        message = _("This is a city's file: import it on that city's marketplace profile.")
        return Outcome(errors=[Problem("/about", message)])
    if not _names(about, absolute(provider.get_absolute_url()), provider.name, provider.country):
        message = _("This file is about %(other)s (%(other_country)s), not %(provider)s (%(country)s).") % {
            "other": about["name"],
            "other_country": _country(about),
            "provider": provider.name,
            "country": provider.country,
        }
        return Outcome(errors=[Problem("/about", message)])
    programme = provider.programme
    plan = _plan_for(programme, by)
    plan.providers[_key(provider.name)] = provider
    # Whose solutions they become: the city that is the provider, or the importer's, as when written here.
    team = access.team_city_ids(by, programme)
    owner = provider.city if provider.city_id else None
    if owner is None and team and not access.is_reviewer(by, programme):
        owner = City.objects.get(pk=team[0])

    def fill() -> None:
        for path, node in _elements(document):
            if node["@type"] == SOLUTION_TYPE:
                if _the_provider(plan, node["provider"], f"{path}/provider", provider) is not None:
                    _solution(plan, node, path, provider, owner)
            elif node["@type"] == "Demand":
                plan.error(path, _("A provider's file holds solutions and deployments, not challenges."))
        for path, node in _elements(document):
            if node["@type"] == "UseAction":
                _deployment(plan, node, path)

    return _run(plan, provider, label, fill)
