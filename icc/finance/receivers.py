"""A city's matches follow its roadmap: an action saved or deleted, or the city's type,
country or track changed, queues a new computation for that city once the change commits.

Changes that send no signal (a bulk update) are caught by the daily
``recompute_funding_matches`` command, which also drops calls whose deadline has passed.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from icc.finance import scheduling


def _action_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    scheduling.recompute_cities([instance.city_id])


def _city_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or kwargs.get("created"):
        return
    scheduling.recompute_cities([instance.pk])


def connect() -> None:
    from icc.cities.models import City
    from icc.roadmaps.models import Action

    post_save.connect(_action_changed, sender=Action, dispatch_uid="finance-action-saved")
    post_delete.connect(_action_changed, sender=Action, dispatch_uid="finance-action-deleted")
    post_save.connect(_city_changed, sender=City, dispatch_uid="finance-city-saved")
