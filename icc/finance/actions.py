"""Changes to access to finance: the catalogue, saved searches and applications.

Each change that moves what fits a city (a call added, changed or removed; an
application decided) queues a new computation of the matches once it commits; a new
call also queues the alerts of the saved searches that find it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from icc.core.models import AuditKind, record
from icc.core.versioning import lock_at_version, save_versioned
from icc.finance import scheduling
from icc.finance.models import Application, Call, SavedSearch
from icc.finance.search import described
from icc.finance.tasks import alert_new_calls

if TYPE_CHECKING:
    from icc.accounts.models import Person
    from icc.cities.models import City
    from icc.programmes.models import Programme, Theme

CALL_FIELDS = [
    "identifier",
    "funding_programme",
    "title",
    "topic",
    "description",
    "opens_on",
    "deadline",
    "city_types",
    "countries",
    "co_funding_rate",
    "min_amount",
    "max_amount",
    "url",
]
APPLICATION_FIELDS = [
    "action",
    "call",
    "amount_requested",
    "status",
    "amount_secured",
    "applied_on",
    "decided_on",
    "note",
]


def announce_new_calls(programme_id: int, call_ids: list[int]) -> None:
    """After the commit: the matches of every city again, and the alerts for ``call_ids``."""
    scheduling.recompute_programme(programme_id)
    if call_ids:
        transaction.on_commit(lambda: alert_new_calls.enqueue(programme_id=programme_id, call_ids=call_ids))


@transaction.atomic
def add_call(*, call: Call, themes: Iterable[Theme], by: Person | None, source: str = "") -> Call:
    call.created_by = by if by is not None and by.is_authenticated else None
    save_versioned(call, fields=CALL_FIELDS, expected=None)
    call.themes.set(themes)
    record(obj=call, action=AuditKind.CREATED, actor=by, changes={"identifier": call.identifier}, source=source)
    announce_new_calls(call.programme_id, [call.pk])
    return call


@transaction.atomic
def change_call(*, call: Call, themes: Iterable[Theme], expected: int | None, by: Person) -> Call:
    if expected is not None:
        lock_at_version(call, expected=expected)
    save_versioned(call, fields=CALL_FIELDS, expected=expected)
    call.themes.set(themes)
    record(obj=call, action=AuditKind.CHANGED, actor=by, changes={"identifier": call.identifier})
    scheduling.recompute_programme(call.programme_id)
    return call


@transaction.atomic
def remove_call(*, call: Call, by: Person) -> None:
    if call.applications.exists():
        raise ValidationError(
            _("Cities recorded applications to this call; it stays in the catalogue for their funding line.")
        )
    record(obj=call, action=AuditKind.CHANGED, actor=by, changes={"removed": call.identifier})
    programme_id = call.programme_id
    call.delete()
    scheduling.recompute_programme(programme_id)


# Saved searches ------------------------------------------------------------------------


@transaction.atomic
def save_search(
    *, person: Person, programme: Programme, name: str, filters: dict[str, Any], alerts: bool
) -> SavedSearch:
    if SavedSearch.objects.filter(person=person, programme=programme, name=name).exists():
        raise ValidationError(_("You already have a saved search called “%(name)s”.") % {"name": name})
    search = SavedSearch.objects.create(
        person=person, programme=programme, name=name, filters=described(filters), alerts=alerts
    )
    record(obj=search, action=AuditKind.CREATED, actor=person, changes={"alerts": alerts})
    return search


@transaction.atomic
def set_alerts(*, search: SavedSearch, alerts: bool, by: Person) -> SavedSearch:
    if search.alerts != alerts:
        search.alerts = alerts
        search.save(update_fields=["alerts"])
        record(obj=search, action=AuditKind.PREFERENCES_CHANGED, actor=by, changes={"alerts": alerts})
    return search


@transaction.atomic
def remove_search(*, search: SavedSearch, by: Person) -> None:
    record(obj=search, action=AuditKind.CHANGED, actor=by, changes={"removed": search.name})
    search.delete()


# Applications --------------------------------------------------------------------------


def _check_application(application: Application, city: City) -> None:
    if application.action.city_id != city.pk:
        raise ValidationError(_("This action belongs to another city; record the application on one of yours."))
    if application.call.programme_id != city.programme_id:
        raise ValidationError(_("This call is not in your edition's catalogue."))


@transaction.atomic
def record_application(*, application: Application, city: City, by: Person) -> Application:
    application.city = city
    _check_application(application, city)
    application.created_by = by
    save_versioned(application, fields=APPLICATION_FIELDS, expected=None)
    record(
        obj=application,
        action=AuditKind.CREATED,
        actor=by,
        changes={"call": application.call.identifier, "status": application.status},
    )
    scheduling.recompute_cities([city.pk])
    return application


@transaction.atomic
def change_application(*, application: Application, expected: int, by: Person) -> Application:
    _check_application(application, application.city)
    save_versioned(application, fields=APPLICATION_FIELDS, expected=expected)
    record(obj=application, action=AuditKind.CHANGED, actor=by, changes={"status": application.status})
    scheduling.recompute_cities([application.city_id])
    return application


@transaction.atomic
def remove_application(*, application: Application, by: Person) -> None:
    city = application.city
    record(obj=application, action=AuditKind.CHANGED, actor=by, changes={"removed": application.call.identifier})
    application.delete()
    scheduling.recompute_cities([city.pk])
