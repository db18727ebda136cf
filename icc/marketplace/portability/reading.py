"""An import file, checked before anything trusts it: its size (read no further than the
limit), what its content really is, UTF-8 text, one JSON object, how deep and how large.

Each refusal is an :class:`~icc.core.uploads.UploadRefused`, the platform's upload gate
refusal, with a message that says what is wrong.
"""

from __future__ import annotations

import json
from typing import IO, Any

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from icc.core.uploads import UploadRefused, check_size
from icc.core.uploads.limits import grouped

MAX_DEPTH = 12
MAX_VALUES = 100_000


def limit() -> int:
    """The largest import file, in bytes: the platform's import limit."""
    return int(settings.ICC_MAX_IMPORT_BYTES)


def read_limited(source: IO[bytes], *, size: int | None = None) -> bytes:
    """The bytes of ``source``, refused as soon as it is known to be larger than the limit:
    from the size the upload declares, else after reading at most one byte too many."""
    check_size(size, limit())
    data = source.read(limit() + 1)
    check_size(len(data), limit())
    return data


def _content_kind(data: bytes) -> str | None:
    """What binary file ``data`` starts like, if it starts like one (a zip, a picture, a PDF…)."""
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return f".{kind.extension} ({kind.mime})"
    if b"\x00" in data[:8192]:
        return _("binary data")
    return None


def _no_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise UploadRefused(
                _("The property “%(name)s” appears twice in the same object.") % {"name": key[:80]},
                code="duplicate_key",
            )
        found[key] = value
    return found


def _not_json_number(name: str) -> Any:
    raise UploadRefused(_("The file holds %(value)s, which is not a JSON number.") % {"value": name}, code="not_json")


def _check_shape(document: Any) -> None:
    """Refuse a document nested deeper than ``MAX_DEPTH`` or with more than ``MAX_VALUES`` values."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise UploadRefused(
                _("The file holds more than %(n)s values: it is not a marketplace export.")
                % {"n": grouped(MAX_VALUES)},
                code="too_many_values",
            )
        if depth > MAX_DEPTH:
            raise UploadRefused(
                _("The file is nested more than %(n)s levels deep: it is not a marketplace export.") % {"n": MAX_DEPTH},
                code="too_deep",
            )
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)


def parse(data: bytes) -> dict[str, Any]:
    """The JSON object in ``data``, once ``data`` passed every check of this module."""
    check_size(len(data), limit())
    kind = _content_kind(data)
    if kind is not None:
        raise UploadRefused(
            _("The file's content is %(kind)s, not JSON. Upload the .jsonld file the marketplace exported.")
            % {"kind": kind},
            code="not_json",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRefused(
            _("The file is not UTF-8 text (byte %(byte)s).") % {"byte": grouped(error.start + 1)}, code="encoding"
        ) from None
    stripped = text.lstrip()
    if not stripped:
        raise UploadRefused(_("The file is empty."), code="empty")
    if not stripped.startswith("{"):
        raise UploadRefused(_("A marketplace export is one JSON object: it starts with “{”."), code="not_object")
    try:
        document = json.loads(text, object_pairs_hook=_no_twice, parse_constant=_not_json_number)
    except json.JSONDecodeError as error:
        raise UploadRefused(
            _("The file is not valid JSON: %(reason)s (line %(line)s, column %(column)s).")
            % {"reason": error.msg, "line": grouped(error.lineno), "column": grouped(error.colno)},
            code="malformed",
        ) from None
    except RecursionError:
        raise UploadRefused(
            _("The file is nested more than %(n)s levels deep: it is not a marketplace export.") % {"n": MAX_DEPTH},
            code="too_deep",
        ) from None
    except ValueError:  # an integer with more digits than Python converts
        raise UploadRefused(_("The file holds a number too long to be read."), code="malformed") from None
    _check_shape(document)
    result: dict[str, Any] = document
    return result
