"""One POST endpoint per write: an invalid form comes back on its page, or as its fragment for htmx;
an action's refusal is a form error on a 200 page, never a 403."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from icc.roadmaps.models import KPI, Action
from icc.roadmaps.tests.form_data import kpi_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _cycle_step(roadmap: Any, name: str) -> str:
    return reverse(f"roadmaps:{name}", kwargs={"pk": roadmap.cast.city_a.pk, "number": 1})


def test_an_invalid_ranking_comes_back_as_the_page_or_as_its_fragment(roadmap: Any) -> None:
    client = roadmap.cast.client_for("rep_a")
    url = _cycle_step(roadmap, "cycle_rank")
    data = {f"rank-{roadmap.opportunity.pk}": "-3"}

    page = client.post(url, data).content.decode()
    fragment = client.post(url, data, **HTMX).content.decode()

    assert "<html" in page and 'id="ranks-form"' in page and "Review" in page
    assert "<html" not in fragment and fragment.strip().startswith('<form id="ranks-form"')
    assert "errorlist" in fragment
    assert f'action="{url}"' in fragment


@pytest.mark.parametrize(
    ("name", "kwargs", "fragment"),
    [
        ("roadmaps:strategy_save", lambda r: {"pk": r.cast.city_a.pk}, 'id="strategy-form"'),
        ("roadmaps:solution_add", lambda r: {"pk": r.cast.city_a.pk}, 'id="solution-form"'),
        ("roadmaps:action_report", lambda r: {"pk": r.owned.pk}, 'id="progress-form"'),
        ("roadmaps:kpi_measure", lambda r: {"pk": r.kpi.pk}, 'id="measurement-form"'),
        ("roadmaps:strategy_comment", lambda r: {"pk": r.cast.city_a.pk, "number": 1}, 'id="comment-form"'),
        ("roadmaps:cycle_reallocate", lambda r: {"pk": r.cast.city_a.pk, "number": 1}, 'id="plan-lines"'),
    ],
)
def test_every_write_answers_htmx_with_its_fragment(roadmap: Any, name: str, kwargs: Any, fragment: str) -> None:
    client = roadmap.cast.client_for("organiser")
    response = client.post(reverse(name, kwargs=kwargs(roadmap)), {}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert fragment in body and "<html" not in body


def test_a_write_endpoint_answers_only_post(roadmap: Any) -> None:
    client = roadmap.cast.client_for("rep_a")
    for name in ("cycle_rank", "cycle_reallocate", "cycle_confirm", "sign_off"):
        assert client.get(_cycle_step(roadmap, name)).status_code == 405


def test_a_plan_line_the_action_refuses_is_shown_and_nothing_is_saved(roadmap: Any, monkeypatch: Any) -> None:
    from icc.roadmaps import actions
    from icc.roadmaps.forms import owner_key

    def refuse(action: Action) -> None:
        raise ValidationError("The owner belongs to another city.")

    monkeypatch.setattr(actions, "_check_same_city", refuse)
    data: dict[str, Any] = {}
    for action in (roadmap.owned, roadmap.draft):
        prefix = f"a{action.pk}"
        data |= {f"{prefix}-owner": owner_key(action), f"{prefix}-cycle": 1, f"{prefix}-detail": "detailed"}
        data |= {f"{prefix}-budget": "1", f"{prefix}-version": action.version}

    response = roadmap.cast.client_for("rep_a").post(_cycle_step(roadmap, "cycle_reallocate"), data)

    assert response.status_code == 200
    assert "The owner belongs to another city." in response.content.decode()
    budgets = dict(Action.objects.values_list("pk", "budget"))
    assert budgets == {roadmap.owned.pk: Decimal(20000), roadmap.draft.pk: Decimal(50000)}


def test_a_kpi_name_taken_meanwhile_is_a_form_error(cast: Any, monkeypatch: Any) -> None:
    """The form checks the name; a KPI of that name saved between the check and the save is refused by the action."""
    from icc.roadmaps import forms

    KPI.objects.create(
        city=cast.city_a,
        name="Share of trips by bike",
        unit="%",
        direction="up",
        baseline_value=Decimal(12),
        baseline_date="2026-01-01",
        target_value=Decimal(20),
        target_date="2027-12-31",
    )
    monkeypatch.setattr(forms, "kpi_name_taken", lambda **kwargs: False)

    response = cast.client_for("rep_a").post(
        reverse("roadmaps:kpi_new", kwargs={"city_pk": cast.city_a.pk}), kpi_data()
    )

    assert response.status_code == 200
    assert "The city already tracks a KPI called" in response.content.decode()
    assert KPI.objects.count() == 1


def test_the_mayor_alone_signs_off_and_the_action_trusts_the_check(roadmap: Any) -> None:
    from icc.roadmaps import actions

    cycle = roadmap.cast.programme.cycles.get(number=1)
    url = _cycle_step(roadmap, "sign_off")
    for persona in ("rep_a", "organiser", "lead_expert"):
        assert roadmap.cast.client_for(persona).post(url).status_code == 403
    # The action decides nothing about who may: that is the access check's job.
    sign_off = actions.sign_off_budget(city=roadmap.cast.city_a, cycle=cycle, by=roadmap.cast.people["mayor_a"])
    assert sign_off.amount == Decimal(70000)
