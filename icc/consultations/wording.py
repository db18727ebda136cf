"""The words of what :mod:`icc.consultations.answering` and the actions report as codes."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.consultations.answering import Problem
from icc.core.formatting import format_number


def problem(found: Problem) -> str:
    params = dict(found.params)
    n = int(params.get("n") or 0)
    shown = format_number(n, 0)
    code = found.code
    if code == "required":
        return _("Answer this question.") if not n else _("Rank %(n)s different options.") % {"n": shown}
    if code == "invalid_choice":
        return _("Choose one of the options given.")
    if code == "too_many":
        return ngettext("Choose at most %(n)s option.", "Choose at most %(n)s options.", n) % {"n": shown}
    if code == "other_missing":
        return _("Say what “Other” is, or choose one of the options.")
    if code == "other_unticked":
        return _("Choose “Other” to send this text, or clear it.")
    if code == "rank_duplicate":
        return _("Each option may take only one place.")
    if code == "rank_incomplete":
        return _("Rank %(n)s different options, or leave every place empty.") % {"n": shown}
    if code == "rating_invalid":
        return _("Choose a point from 1 to %(n)s.") % {"n": shown}
    if code == "too_long":
        return _("This is %(length)s characters long; at most %(limit)s characters fit.") % {
            "length": format_number(int(params["length"]), 0),
            "limit": format_number(int(params["limit"]), 0),
        }
    if code == "invalid_characters":
        return _("This text holds characters that cannot be stored. Please remove them.")
    if code == "consent_missing":
        return _("Tick the consent line to send your personal details, or leave those questions empty.")
    if code == "email_missing":
        return _("Give the e-mail address the confirmation link should go to.")
    if code == "email_invalid":
        return _("This is not an e-mail address.")
    if code == "email_not_sent":
        return _(
            "No e-mail could be sent to this address just now, so your answer was not kept. "
            "Check the address, or try again in a few minutes."
        )
    if code == "empty":
        return _("Answer at least one question.")
    return _("Check this answer.")
