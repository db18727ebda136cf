"""The record of processing activities (GDPR Article 30), kept as data in the code.

The page reads it from here, and the retention periods from the settings the daily run
applies, so the record says what the platform does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from icc.core.formatting import format_number

# A text of the record, translated when the page shows it.
Text = str | Promise


@dataclass(frozen=True)
class Activity:
    name: Text
    purpose: Text
    legal_basis: Text
    subjects: tuple[Text, ...]
    categories: tuple[Text, ...]
    recipients: tuple[Text, ...]
    retention: Text


def _days(setting: str) -> str:
    days = int(getattr(settings, setting))
    return ngettext("%(days)s day", "%(days)s days", days) % {"days": format_number(days)}


def _inactive_accounts() -> str:
    return str(
        _("An account nobody has signed in to for %(period)s is anonymised.")
        % {"period": _days("ICC_RETENTION_INACTIVE_ACCOUNT_DAYS")}
    )


def _contact_data() -> str:
    return str(
        _(
            "Personal answers and e-mail addresses go %(period)s after the consultation or call closes, "
            "or on the earlier date set for it."
        )
        % {"period": _days("ICC_RETENTION_CONTACT_DATA_DAYS")}
    )


inactive_accounts = lazy(_inactive_accounts, str)
contact_data = lazy(_contact_data, str)

ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        name=_("Running the programme"),
        purpose=_(
            "Accounts and roles of the people who take part: the programme team, experts, city and mentor "
            "representatives, mayors and ecosystem stakeholders; their journey, deliverables, assessments, "
            "roadmaps, labs, channels and the marketplace."
        ),
        legal_basis=_("Performance of the programme the cities joined (Art. 6(1)(b) and (e))."),
        subjects=(_("Participants of the programme"), _("Ecosystem stakeholders invited by a city")),
        categories=(
            _("Name and e-mail address"),
            _("Preferred language and time zone"),
            _("Roles and the cities, themes or services they cover"),
            _("What the person writes and submits, with its date"),
            _("Sign-in times"),
        ),
        recipients=(
            _("The programme team"),
            _("The people of the same city, TAG or channel, as each page says"),
            _("The European Commission, as aggregated reports"),
        ),
        retention=inactive_accounts(),
    ),
    Activity(
        name=_("Ecosystem mapping"),
        purpose=_("Contacts at a city's local organisations and the interviews held with them."),
        legal_basis=_("Legitimate interest of the city in knowing its ecosystem (Art. 6(1)(f))."),
        subjects=(_("People at local organisations"),),
        categories=(_("Name, role or title and e-mail address"), _("Interview summaries and sensitive notes")),
        recipients=(_("The city's team; sensitive notes only to their author and the city's lead expert"),),
        retention=_("As long as the city takes part in the programme."),
    ),
    Activity(
        name=_("Public consultations and calls for ideas"),
        purpose=_("Citizens' answers and ideas, counted and published only as results."),
        legal_basis=_("Consent of the respondent for personal answers (Art. 6(1)(a))."),
        subjects=(_("Residents and visitors who answer or send an idea"),),
        categories=(
            _("Answers, and personal answers where the respondent gives them"),
            _("An e-mail address to confirm an answer or follow an idea"),
        ),
        recipients=(_("The city's team"), _("The public, as published results without names")),
        retention=contact_data(),
    ),
    Activity(
        name=_("Security and accountability"),
        purpose=_("The audit trail of changes and the sign-in attempts, to keep the platform safe."),
        legal_basis=_("Legal obligation and legitimate interest in the security of the service (Art. 6(1)(c), (f))."),
        subjects=(_("Everyone who signs in"),),
        categories=(_("Who changed what and when"), _("Failed sign-in attempts and their network address")),
        recipients=(_("The programme team"), _("The platform's operators")),
        retention=inactive_accounts(),
    ),
)

SECURITY_MEASURES: tuple[Text, ...] = (
    _("Every page checks who may open it; a record that is not yours is not found."),
    _("Passwords are stored only as salted hashes; access links only as digests."),
    _("Repeated failed sign-ins lock the account for a while."),
    _("Traffic is encrypted (HTTPS), and cookies are sent only over it."),
    _("Every change is recorded in the audit trail."),
    _("Exports that open in spreadsheets have formulas neutralised."),
    _("A person can download their data, and ask for it to be erased."),
)
