"""Validation of an OCDS release package against the copies of the OCDS 1.1 schemas in
``schemas/``, offline: the registry holds the release schema under the address the
package schema refers to it by, and any other reference is refused rather than fetched.

The schemas are JSON Schema draft 4. The formats they use (``date-time``, ``uri``) are
checked here with the standard library, so that they are checked whatever optional
packages are installed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from jsonschema import ValidationError as SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SCHEMA_VERSION = "1__1__5"
RELEASE_SCHEMA = f"https://standard.open-contracting.org/schema/{SCHEMA_VERSION}/release-schema.json"
PACKAGE_SCHEMA = f"https://standard.open-contracting.org/schema/{SCHEMA_VERSION}/release-package-schema.json"
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """Where the schema refuses the document (a JSON Pointer), the JSON Schema keyword that
    refuses it (``code``: required, enum, type, format, ...) with what that keyword names
    (the missing properties, the allowed values, the format), and the validator's own
    words for why (``detail``, in English)."""

    path: str
    detail: str
    code: str = ""
    names: tuple[str, ...] = ()


def _load(name: str) -> Any:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def _refuse(uri: str) -> Resource[Any]:
    raise LookupError(f"{uri} is not one of the copies in schemas/")


@functools.cache
def registry() -> Registry[Any]:
    resources = [
        (RELEASE_SCHEMA, DRAFT4.create_resource(_load("release-schema.json"))),
        (PACKAGE_SCHEMA, DRAFT4.create_resource(_load("release-package-schema.json"))),
    ]
    return Registry(retrieve=_refuse).with_resources(resources)  # type: ignore[call-arg]


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if "T" not in value or not (value.endswith("Z") or value[-6] in "+-"):
        return False  # RFC 3339 asks for a time and a time zone
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in {"urn", "mailto"}) and " " not in value


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    checker.checks("uri")(_uri)
    return checker


@functools.cache
def validator() -> Draft4Validator:
    package = _load("release-package-schema.json")
    Draft4Validator.check_schema(package)
    Draft4Validator.check_schema(_load("release-schema.json"))
    return Draft4Validator(package, registry=registry(), format_checker=format_checker())


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _leaves(errors: Iterable[SchemaError]) -> Iterable[SchemaError]:
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


MAX_NAMES = 12


def _names(error: SchemaError) -> tuple[str, ...]:
    """What the refusing keyword names: the properties missing, the values allowed, the
    format or the types expected."""
    expected = error.validator_value
    if error.validator == "required" and isinstance(error.instance, dict) and isinstance(expected, list):
        return tuple(str(name)[:80] for name in expected if name not in error.instance)[:MAX_NAMES]
    if error.validator in {"enum", "type"}:
        values = expected if isinstance(expected, list) else [expected]
        return tuple(str(value)[:80] for value in values if value is not None)[:MAX_NAMES]
    if error.validator == "format":
        return (str(expected)[:80],)
    return ()


def problems(package: Any) -> list[Problem]:
    """What the OCDS release package schema refuses in ``package`` (nothing: it is valid)."""
    found: list[Problem] = []
    for error in _leaves(validator().iter_errors(package)):
        problem = Problem(
            _pointer(error.absolute_path), error.message[:300], code=str(error.validator), names=_names(error)
        )
        # The schema refuses each missing property on its own; one problem names them all.
        if problem not in found and not (
            problem.code == "required"
            and any((p.path, p.code, p.names) == (problem.path, problem.code, problem.names) for p in found)
        ):
            found.append(problem)
        if len(found) >= MAX_PROBLEMS:
            break
    return found
