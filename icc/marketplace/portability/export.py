"""The JSON-LD document of everything a city or a provider wrote in the marketplace.

A city's document is about the city (with its profile) and lists the solutions its team
wrote, its challenges, and deployments: of those solutions, and the confirmed ones in the
city of other solutions. A provider's lists its solutions and their deployments. Only
what the exporter may see goes in (solutions they may open; deployments confirmed, or
claimed in a city they write for). Every field people write is there, so that an import
rebuilds the same content; what belongs to this instance only (review state, authors, a
deployment's KPI and roadmap action) is not. Properties without a value are left out.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.marketplace import access
from icc.marketplace.models import Challenge, CityProfile, Deployment, Provider, Solution
from icc.marketplace.portability.schema import CITY_TYPE, SCHEMA_ID, SOLUTION_TYPE, context

if TYPE_CHECKING:
    from icc.accounts.models import Person
    from icc.cities.models import City
    from icc.programmes.models import Programme

MEDIA_TYPE = "application/ld+json"


def absolute(path: str) -> str:
    """An address of the site as the outside world knows it (SITE_URL, never the request's host)."""
    return f"{settings.SITE_URL}{path}"


def _drop_empty(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if value not in (None, "", [])}


def _address(country: str) -> dict[str, str]:
    return {"@type": "PostalAddress", "addressCountry": country}


def city_reference(city: City) -> dict[str, Any]:
    return {
        "@id": absolute(reverse("marketplace:profile", kwargs={"pk": city.pk})),
        "@type": "City",
        "name": city.name,
        "address": _address(city.country),
    }


def provider_node(provider: Provider) -> dict[str, Any]:
    return _drop_empty(
        {
            "@id": absolute(provider.get_absolute_url()),
            "@type": "Organization",
            "name": provider.name,
            "address": _address(provider.country),
            "url": provider.website,
            "providerKind": provider.kind,
        }
    )


def _themes(themes: Any) -> list[dict[str, str]]:
    return [{"@type": "DefinedTerm", "termCode": theme.slug, "name": theme.name} for theme in themes]


def solution_node(solution: Solution) -> dict[str, Any]:
    return _drop_empty(
        {
            "@id": absolute(solution.get_absolute_url()),
            "@type": SOLUTION_TYPE,
            "name": solution.name,
            "description": solution.summary,
            "provider": provider_node(solution.provider),
            "about": _themes(solution.themes.all()),
            "featureList": list(solution.functions),
            "mims": list(solution.mims),
            "dataModels": list(solution.data_models),
            "ngsiLd": solution.ngsi_ld,
            "standards": solution.standards,
            "softwareRequirements": solution.requirements,
            "costModel": solution.cost_model,
            "license": solution.licence,
            "codeRepository": solution.repository,
            "creativeWorkStatus": solution.development,
            "sdgTargets": list(solution.sdgs),
        }
    ) | {"featureList": list(solution.functions)}


def challenge_node(challenge: Challenge) -> dict[str, Any]:
    budget = None
    if challenge.budget_min is not None or challenge.budget_max is not None:
        budget = _drop_empty(
            {
                "@type": "PriceSpecification",
                "priceCurrency": "EUR",
                "minPrice": challenge.budget_min,
                "maxPrice": challenge.budget_max,
            }
        )
    return _drop_empty(
        {
            "@id": absolute(challenge.get_absolute_url()),
            "@type": "Demand",
            "name": challenge.title,
            "description": challenge.context,
            "about": _themes([challenge.theme]),
            "featureList": list(challenge.functions),
            "dataModels": list(challenge.data_models),
            "sdgTargets": list(challenge.sdgs),
            "priceSpecification": budget,
            "validThrough": challenge.needed_by.isoformat() if challenge.needed_by else None,
        }
    )


def deployment_node(deployment: Deployment) -> dict[str, Any]:
    solution = deployment.solution
    return _drop_empty(
        {
            "@type": "UseAction",
            "object": {
                "@id": absolute(solution.get_absolute_url()),
                "@type": SOLUTION_TYPE,
                "name": solution.name,
                "provider": {
                    "@id": absolute(solution.provider.get_absolute_url()),
                    "@type": "Organization",
                    "name": solution.provider.name,
                },
            },
            "agent": city_reference(deployment.city),
            "startTime": deployment.started_on.isoformat(),
            "scale": deployment.scale,
            "description": deployment.outcome,
            "confirmed": deployment.is_confirmed,
        }
    )


def catalogue_node(city: City, portal: str) -> dict[str, Any]:
    """The city's open data portal as a Smart Data Models ``Catalogue`` (DCAT-AP)."""
    return {
        "id": f"urn:ngsi-ld:Catalogue:icc:{city.programme.slug}:{city.pk}",
        "type": "Catalogue",
        "title": [city.name],
        "description": [_("Open data portal of %(city)s") % {"city": city.name}],
        "publisher": city.name,
        "homepage": portal,
    }


def city_node(city: City, profile: CityProfile | None) -> dict[str, Any]:
    node = {
        "@id": absolute(reverse("marketplace:profile", kwargs={"pk": city.pk})),
        "@type": CITY_TYPE,
        "name": city.name,
        "address": _address(city.country),
    }
    if profile is None:
        return node
    contact = {"@type": "ContactPoint", "contactType": "procurement", "email": profile.procurement_contact}
    described = {
        "description": profile.summary,
        "openDataCharter": profile.open_data_charter,
        "openDataPortal": catalogue_node(city, profile.open_data_portal) if profile.open_data_portal else None,
        "platforms": profile.platforms,
        "mims": list(profile.mims),
        "procurement": profile.procurement,
        "contactPoint": contact if profile.procurement_contact else None,
        "tenders": profile.tenders,
    }
    # The charter is always written: it marks that the city has a profile.
    return node | _drop_empty(described) | {"openDataCharter": profile.open_data_charter}


def _document(
    programme: Programme, about: dict[str, Any], elements: list[dict[str, Any]], name: str, path: str
) -> dict[str, Any]:
    return {
        "@context": context(),
        "@id": absolute(path),
        "@type": "DataFeed",
        "conformsTo": SCHEMA_ID,
        "name": name,
        "dateCreated": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "publisher": {
            "@type": "Organization",
            "name": programme.name,
            "identifier": programme.slug,
            "url": absolute(programme.get_absolute_url()),
        },
        "about": about,
        "dataFeedElement": elements,
    }


def _solutions(queryset: QuerySet[Solution]) -> QuerySet[Solution]:
    return queryset.select_related("provider").prefetch_related("themes").order_by("name", "pk")


def _deployments(queryset: QuerySet[Deployment], *, by: Person, programme: Programme) -> list[Deployment]:
    """The deployments of ``queryset`` that ``by`` may see: of a solution they may open,
    confirmed or claimed in a city they write for."""
    seen = queryset.filter(solution__in=access.visible_solutions(by, programme)).filter(
        Q(confirmed_at__isnull=False) | Q(city__in=access.team_city_ids(by, programme))
    )
    return list(seen.select_related("solution__provider", "city").order_by("solution__name", "started_on", "pk"))


def city_document(city: City, *, by: Person) -> dict[str, Any]:
    """Everything ``city``'s team wrote in the marketplace, and the deployments it confirmed."""
    programme = city.programme
    profile = CityProfile.objects.filter(city=city).first()
    solutions = list(_solutions(Solution.objects.filter(programme=programme, city=city)))
    challenges = Challenge.objects.filter(city=city).select_related("theme").order_by("created_at", "pk")
    deployments = _deployments(
        Deployment.objects.filter(Q(solution__in=[s.pk for s in solutions]) | Q(city=city, confirmed_at__isnull=False)),
        by=by,
        programme=programme,
    )
    elements = [solution_node(s) for s in solutions]
    elements += [challenge_node(c) for c in challenges]
    elements += [deployment_node(d) for d in deployments]
    path = reverse("marketplace:city_export", kwargs={"pk": city.pk})
    name = _("Marketplace content of %(name)s") % {"name": city.name}
    return _document(programme, city_node(city, profile), elements, name, path)


def provider_document(provider: Provider, *, by: Person) -> dict[str, Any]:
    """``provider``'s record and the solutions ``by`` may see of it, with their deployments:
    confirmed ones, and those claimed in cities ``by`` writes for."""
    programme = provider.programme
    solutions = list(_solutions(access.visible_solutions(by, programme).filter(provider=provider)))
    deployments = _deployments(
        Deployment.objects.filter(solution__in=[s.pk for s in solutions]), by=by, programme=programme
    )
    elements = [solution_node(s) for s in solutions] + [deployment_node(d) for d in deployments]
    path = reverse("marketplace:provider_export", kwargs={"pk": provider.pk})
    name = _("Marketplace content of %(name)s") % {"name": provider.name}
    return _document(programme, provider_node(provider), elements, name, path)


def dumps(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode()
