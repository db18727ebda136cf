"""Every text a person can write has a length limit, whatever the database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[1] / "icc"


def test_every_text_column_of_the_platform_has_a_length_limit() -> None:
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("icc.")
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and not field.max_length
    ]
    assert unbounded == []


def _unbounded_form_fields(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "CharField"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "forms"
            and not any(k.arg in {"max_length", "choices"} for k in node.keywords)
        ):
            lines.append(node.lineno)
    return lines


def test_every_free_text_form_field_has_a_length_limit() -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and (lines := _unbounded_form_fields(path.read_text()))
    }
    assert found == {}


def test_the_check_finds_an_unbounded_field() -> None:
    assert _unbounded_form_fields("from django import forms\nname = forms.CharField(label='x')\n") == [2]


@pytest.mark.django_db
def test_a_text_over_its_limit_is_refused_with_a_message_and_nothing_saved(roadmap: object) -> None:
    from django.urls import reverse

    from icc.roadmaps.models import Opportunity

    cast = roadmap.cast  # type: ignore[attr-defined]
    opportunity = roadmap.opportunity  # type: ignore[attr-defined]
    url = reverse("roadmaps:opportunity_edit", kwargs={"pk": cast.city_a.pk, "opportunity_pk": opportunity.pk})
    response = cast.client_for("rep_a").post(
        url, {"version": opportunity.version, "title": "Cut energy use", "need": "x" * 100_000, "rank": 1}
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 5,000 characters" in response.content.decode().replace("5000", "5,000")
    assert Opportunity.objects.get(pk=opportunity.pk).need == "Bills are too high"
