"""The matching's reasons in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.marketplace.matching import Reason


def reason_words(reason: Reason, functions: Mapping[str, object]) -> str:
    params = reason.params
    if reason.code == "functions":
        names = ", ".join(str(functions.get(str(f), f)) for f in params["functions"])  # type: ignore[attr-defined]
        return _("does what you need: %(names)s") % {"names": names}
    if reason.code == "data-models":
        return _("speaks your data models: %(models)s") % {"models": ", ".join(params["models"])}  # type: ignore[arg-type]
    if reason.code == "similar-cities":
        count = int(params["count"])  # type: ignore[call-overload]
        return ngettext(
            "deployed in %(count)s city of a similar size", "deployed in %(count)s cities of a similar size", count
        ) % {"count": count}
    if reason.code == "same-country":
        count = int(params["count"])  # type: ignore[call-overload]
        return ngettext(
            "deployed in %(count)s city of your country", "deployed in %(count)s cities of your country", count
        ) % {"count": count}
    if reason.code == "theme":
        return _("on your ICC theme")
    raise ValueError(reason.code)
