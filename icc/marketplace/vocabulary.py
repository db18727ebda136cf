"""The marketplace's controlled lists: technology functions, standards, SDGs, providers.

Codes are stored; labels are translated where they are shown. The OASC Minimal
Interoperability Mechanisms are numbered as OASC numbers them (MIM1 Context information
management … MIM7 Places); the SDGs are the United Nations' seventeen goals, and an SDG
target is written as the UN writes it ("11.2", "7.a").
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Function(models.TextChoices):
    SENSING = "sensing", _("Sensing and monitoring (IoT)")
    CONNECTIVITY = "connectivity", _("Connectivity")
    DATA_PLATFORM = "data-platform", _("Data platform and context broker")
    OPEN_DATA = "open-data", _("Open data portal")
    ANALYTICS = "analytics", _("Analytics and AI")
    DIGITAL_TWIN = "digital-twin", _("Digital twin and 3D model")
    GIS = "gis", _("Maps and geographic information")
    CITIZEN_APP = "citizen-app", _("Citizen services and engagement")
    IDENTITY = "identity", _("Digital identity and access")
    PAYMENTS = "payments", _("Payments")
    MOBILITY = "mobility", _("Mobility and traffic management")
    ENERGY = "energy", _("Energy management")
    BUILDINGS = "buildings", _("Building management")
    LIGHTING = "lighting", _("Street lighting control")
    WASTE = "waste", _("Waste management")
    WATER = "water", _("Water management")
    TOURISM = "tourism", _("Tourism and culture")
    HEALTH = "health", _("Health and care")


class Mim(models.TextChoices):
    MIM1 = "MIM1", _("MIM1 Context information management")
    MIM2 = "MIM2", _("MIM2 Data models")
    MIM3 = "MIM3", _("MIM3 Contracts")
    MIM4 = "MIM4", _("MIM4 Trust")
    MIM5 = "MIM5", _("MIM5 Transparency")
    MIM6 = "MIM6", _("MIM6 Security")
    MIM7 = "MIM7", _("MIM7 Places")


class ProviderKind(models.TextChoices):
    COMPANY = "company", _("Company")
    SME = "sme", _("SME")
    RESEARCH = "research", _("Research body")
    CITY = "city", _("City")


class CostModel(models.TextChoices):
    LICENCE = "licence", _("Licence fee")
    SUBSCRIPTION = "subscription", _("Subscription")
    SERVICE = "service", _("Service contract")
    FREE = "free", _("Free of charge")
    OPEN_SOURCE = "open-source", _("Open source, paid support available")


class SolutionStatus(models.TextChoices):
    """What the platform's own publiccode.yml-like ``developmentStatus`` says of a product."""

    CONCEPT = "concept", _("Concept")
    DEVELOPMENT = "development", _("In development")
    BETA = "beta", _("Beta")
    STABLE = "stable", _("Stable")
    OBSOLETE = "obsolete", _("Obsolete")


SDG_GOALS = range(1, 18)
SDG_TARGET = re.compile(r"^(?P<goal>[1-9]|1[0-7])\.(?:[1-9]|1[0-9]|[a-c])$")
# Smart Data Models names an entity in UpperCamelCase ("WeatherObserved", "StreetLight").
DATA_MODEL = re.compile(r"^[A-Z][A-Za-z0-9]{1,60}$")
# An SPDX licence expression's identifiers ("EUPL-1.2", "Apache-2.0 OR MIT").
SPDX = re.compile(r"^[A-Za-z0-9.+-]{2,40}(?: (?:OR|AND|WITH) [A-Za-z0-9.+-]{2,40})*$")


def sdg_goal(target: str) -> int:
    match = SDG_TARGET.match(target)
    if match is None:
        raise ValueError(target)
    return int(match.group("goal"))
