"""The JSON-LD context and the JSON Schemas of the export, read from ``schemas/``, and
the validation every export and every import goes through.

Nothing is fetched: the registry holds the local copies of the Smart Data Models schemas
under the addresses they are published at, and any other reference fails validation.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SCHEMA_ID = "urn:icc:schema:marketplace-export:1"
SDM = SCHEMAS / "smart-data-models"
LOCAL_COPIES = {
    "https://smart-data-models.github.io/data-models/common-schema.json": SDM / "common-schema.json",
    "https://smart-data-models.github.io/dataModel.DCAT-AP/Catalogue/schema.json": (
        SDM / "dataModel.DCAT-AP" / "Catalogue" / "schema.json"
    ),
}
SOLUTION_TYPE = ["SoftwareApplication", "Product"]
CITY_TYPE = ["City", "GovernmentOrganization"]
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class Problem:
    """What is wrong and where: ``path`` is a JSON Pointer into the file ("" for the file as a whole)."""

    path: str
    message: str


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def context() -> dict[str, Any]:
    """The ``@context`` every export carries, as written in ``schemas/context.jsonld``."""
    found: dict[str, Any] = _load(SCHEMAS / "context.jsonld")["@context"]
    return found


@functools.cache
def schema() -> dict[str, Any]:
    found: dict[str, Any] = _load(SCHEMAS / "marketplace-export.schema.json")
    return found


def _refuse(uri: str) -> Resource[Any]:
    raise LookupError(f"{uri} is not one of the copies in schemas/")


@functools.cache
def registry() -> Registry[Any]:
    """The local copies only; a reference to anything else is refused rather than fetched."""
    resources = [(uri, Resource.from_contents(_load(path))) for uri, path in LOCAL_COPIES.items()]
    return Registry(retrieve=_refuse).with_resources(resources)  # type: ignore[call-arg]


@functools.cache
def validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema(), registry=registry(), format_checker=FormatChecker())


def pointer(parts: Iterable[Any]) -> str:
    """A JSON Pointer (RFC 6901) to the value at ``parts``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _shown(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _choices(values: Sequence[Any]) -> str:
    return ", ".join(_shown(v, 40) for v in values[:20]) + (" …" if len(values) > 20 else "")


PATTERN_HINTS = {
    "sdgTargets": gettext_lazy("an SDG target as the UN numbers it, for example 11.2 or 7.a"),
    "dataModels": gettext_lazy("a Smart Data Models entity name, for example StreetLight"),
    "license": gettext_lazy("an SPDX licence identifier, for example EUPL-1.2 or MIT"),
    "termCode": gettext_lazy("a theme's key, for example mobility"),
    "addressCountry": gettext_lazy("a two-letter country code, for example PT"),
    "email": gettext_lazy("an e-mail address"),
}


def _hint(path: Sequence[Any]) -> str:
    named = [p for p in path if isinstance(p, str)]
    key = named[-1] if named else ""
    if key in PATTERN_HINTS:
        return str(PATTERN_HINTS[key])
    if key in {"url", "homepage", "codeRepository"}:
        return _("a web address starting with https://")
    if key in {"startTime", "validThrough"}:
        return _("a date written YYYY-MM-DD")
    if key == "dateCreated":
        return _("a date and time in ISO 8601, for example 2026-05-01T10:00:00Z")
    return _("the form the schema asks for")


def _words(error: ValidationError) -> tuple[list[Any], str]:
    """Where an error is and what it says, in words a person reads."""
    path = list(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [key for key in expected if isinstance(value, dict) and key not in value] or ["?"]
        if len(missing) == 1:
            return path, _("“%(name)s” is missing.") % {"name": missing[0]}
        return path, _("These are missing: %(names)s.") % {"names": ", ".join(f"“{key}”" for key in missing)}
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(key for key in value if key not in known) if isinstance(value, dict) else []
        return path, _("“%(name)s” is not a property the marketplace knows here.") % {
            "name": _shown(extra[0] if extra else "?")
        }
    if kind == "enum":
        return path, _("“%(value)s” is not one of the codes allowed here: %(codes)s.") % {
            "value": _shown(value),
            "codes": _choices(expected),
        }
    if kind == "const":
        return path, _("This must be %(value)s.") % {"value": _shown(expected)}
    if kind == "type":
        return path, _("This must be of type %(type)s.") % {"type": expected}
    if kind == "maxLength":
        return path, _("This is longer than %(n)s characters.") % {"n": expected}
    if kind == "minLength":
        return path, _("This must not be empty.")
    if kind in {"maxItems", "minItems"}:
        return path, _("This list must hold between %(low)s and %(high)s items.") % {
            "low": error.schema.get("minItems", 0),
            "high": error.schema.get("maxItems", "…"),
        }
    if kind == "uniqueItems":
        return path, _("This list holds the same value twice.")
    if kind in {"minimum", "maximum"}:
        return path, _("%(value)s is out of range.") % {"value": _shown(value)}
    if kind in {"pattern", "format"}:
        return path, _("“%(value)s” is not %(hint)s.") % {"value": _shown(value), "hint": _hint(path)}
    return path, _("This does not match the schema: %(detail)s") % {"detail": _shown(error.message, 200)}


def _leaves(errors: Iterable[ValidationError]) -> Iterable[ValidationError]:
    """The most specific errors: an ``allOf``/``if`` wrapper's own causes rather than itself."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def _file_order(error: ValidationError) -> list[tuple[int, int, str]]:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def problems(document: Any) -> list[Problem]:
    """Everything in ``document`` the schema refuses, the first ``MAX_PROBLEMS``, in file order."""
    found: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    errors = sorted(_leaves(validator().iter_errors(document)), key=_file_order)
    for error in errors:
        path, message = _words(error)
        key = (pointer(path), message)
        if key not in seen:
            seen.add(key)
            found.append(Problem(*key))
        if len(found) >= MAX_PROBLEMS:
            break
    return found
