"""Keeping the search entries in step with the things they stand for.

A save or delete of a city, person, role, action, KPI, toolbox item, message, marketplace
solution or challenge updates its entry
through Django's signals, in the same transaction. Writes that bypass signals (bulk
imports, ``update()``) are caught up by ``manage.py rebuild_search_index``, which the
demo loader runs and which rebuilds every entry from the data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from icc.search.models import Entry, Kind

TEXT_LENGTH = 4_000


def _city(city: Any) -> Entry:
    words = [city.country, city.get_type_display()]
    return Entry(
        kind=Kind.CITY,
        object_id=city.pk,
        programme_id=city.programme_id,
        city_id=city.pk,
        title=city.name,
        text=" ".join(w for w in words if w),
    )


def _action(action: Any) -> Entry:
    return Entry(
        kind=Kind.ACTION,
        object_id=action.pk,
        programme_id=action.city.programme_id,
        city_id=action.city_id,
        title=action.title,
        text=action.description[:TEXT_LENGTH],
    )


def _kpi(kpi: Any) -> Entry:
    return Entry(
        kind=Kind.KPI,
        object_id=kpi.pk,
        programme_id=kpi.city.programme_id,
        city_id=kpi.city_id,
        title=kpi.name,
        text=kpi.unit,
    )


def _item(item: Any) -> Entry:
    return Entry(
        kind=Kind.ITEM,
        object_id=item.pk,
        programme_id=item.programme_id,
        city_id=None,
        title=item.title,
        text=f"{item.summary}\n{item.body}"[:TEXT_LENGTH],
    )


def _post(post: Any) -> Entry | None:
    if post.removed_at is not None:
        return None
    return Entry(
        kind=Kind.POST,
        object_id=post.pk,
        programme_id=post.channel.programme_id,
        city_id=None,
        title=str(post),
        text=post.body[:TEXT_LENGTH],
    )


def _solution(solution: Any) -> Entry:
    words = [solution.provider.name, solution.standards, " ".join(solution.data_models), solution.requirements]
    return Entry(
        kind=Kind.SOLUTION,
        object_id=solution.pk,
        programme_id=solution.programme_id,
        city_id=None,  # who finds it is the marketplace's own rule, not the city's page
        title=solution.name,
        text="\n".join([solution.summary, *(w for w in words if w)])[:TEXT_LENGTH],
    )


def _challenge(challenge: Any) -> Entry:
    return Entry(
        kind=Kind.CHALLENGE,
        object_id=challenge.pk,
        programme_id=challenge.city.programme_id,
        city_id=None,
        title=challenge.title,
        text=challenge.context[:TEXT_LENGTH],
    )


def _person(person: Any) -> Entry | None:
    role = person.roles.order_by("pk").first()
    if role is None or not person.full_name:
        return None
    return Entry(
        kind=Kind.PERSON,
        object_id=person.pk,
        programme_id=role.programme_id,
        city_id=None,
        title=person.full_name,
        text="",
    )


def _models() -> dict[type[Model], tuple[str, Any]]:
    from icc.accounts.models import Person
    from icc.channels.models import Post
    from icc.cities.models import City
    from icc.library.models import Item
    from icc.marketplace.models import Challenge, Solution
    from icc.roadmaps.models import KPI, Action

    return {
        City: (Kind.CITY, _city),
        Action: (Kind.ACTION, _action),
        KPI: (Kind.KPI, _kpi),
        Item: (Kind.ITEM, _item),
        Person: (Kind.PERSON, _person),
        Post: (Kind.POST, _post),
        Solution: (Kind.SOLUTION, _solution),
        Challenge: (Kind.CHALLENGE, _challenge),
    }


def _store(entry: Entry | None, kind: str, pk: int) -> None:
    if entry is None:
        Entry.objects.filter(kind=kind, object_id=pk).delete()
        return
    Entry.objects.update_or_create(
        kind=entry.kind,
        object_id=entry.object_id,
        defaults={
            "programme_id": entry.programme_id,
            "city_id": entry.city_id,
            "title": entry.title[:300],
            "text": entry.text,
        },
    )


def _saved(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    kind, build = _models()[sender]
    _store(build(instance), kind, instance.pk)


def _deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    kind, _build = _models()[sender]
    Entry.objects.filter(kind=kind, object_id=instance.pk).delete()


def _role_changed(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """A person's first role decides where their entry belongs."""
    from icc.accounts.models import Person

    person = Person.objects.filter(pk=instance.person_id).first()
    if person is not None:
        _store(_person(person), Kind.PERSON, person.pk)


def connect() -> None:
    from icc.cities.models import Role

    for model in _models():
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    post_save.connect(_role_changed, sender=Role, dispatch_uid="search-role-save")
    post_delete.connect(_role_changed, sender=Role, dispatch_uid="search-role-delete")


def _all_entries() -> Iterator[Entry]:
    for model, (_kind, build) in _models().items():
        queryset: Any = model._default_manager.all()
        if model.__name__ in ("Action", "KPI"):
            queryset = queryset.select_related("city")
        if model.__name__ == "Post":
            queryset = queryset.select_related("channel")
        if model.__name__ == "Solution":
            queryset = queryset.select_related("provider")
        if model.__name__ == "Challenge":
            queryset = queryset.select_related("city")
        for instance in queryset.iterator(chunk_size=2000):
            entry = build(instance)
            if entry is not None:
                yield entry


@transaction.atomic
def rebuild() -> int:
    """Every entry again from the data; returns how many there are."""
    Entry.objects.all().delete()
    batch: list[Entry] = []
    count = 0
    for entry in _all_entries():
        batch.append(entry)
        if len(batch) >= 2000:
            Entry.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    Entry.objects.bulk_create(batch)
    return count + len(batch)
