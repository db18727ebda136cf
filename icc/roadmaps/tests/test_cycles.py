"""Cycle planning: the review, the ranking, the reallocation, the mayor's sign-off, the kept plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from icc.cities.models import RoleKind
from icc.programmes.models import Cycle
from icc.roadmaps.models import (
    Action,
    ActionStatus,
    BudgetSignOff,
    CyclePlan,
    Opportunity,
)
from tests.factories import PersonFactory, give_role

pytestmark = pytest.mark.django_db


class TestCyclePlanning:
    def url(self, roadmap: Any, number: int = 1) -> str:
        return reverse("roadmaps:cycle", kwargs={"pk": roadmap.cast.city_a.pk, "number": number})

    def step(self, roadmap: Any, name: str, number: int = 1) -> str:
        """The URL a step of the cycle plan posts to."""
        return reverse(f"roadmaps:{name}", kwargs={"pk": roadmap.cast.city_a.pk, "number": number})

    def test_a_cycle_that_does_not_exist_is_404(self, roadmap: Any) -> None:
        assert roadmap.cast.client_for("rep_a").get(self.url(roadmap, 4)).status_code == 404

    def test_the_plan_keeps_a_snapshot_to_compare_with_what_happened(self, roadmap: Any) -> None:
        client = roadmap.cast.client_for("rep_a")
        response = client.post(self.step(roadmap, "cycle_confirm"), {"review": "First cycle"})
        assert response.status_code == 302
        plan = CyclePlan.objects.get()
        assert {line["title"] for line in plan.snapshot["actions"]} == {
            "Audit public buildings",
            "Secret retrofit plan",
        }
        assert plan.snapshot["kpis"][0]["value"] == "990"
        # What happened afterwards: one action done, the other moved to cycle 2.
        Action.objects.filter(pk=roadmap.owned.pk).update(status=ActionStatus.DONE, spent=Decimal(18000))
        Action.objects.filter(pk=roadmap.draft.pk).update(cycle=roadmap.cast.programme.cycles.get(number=2))
        page = client.get(self.url(roadmap, 2)).content.decode()
        assert "Review of Cycle 1" in page
        assert "moved to Cycle 2" in page
        assert "€18,000 spent" in page
        plan.refresh_from_db()
        assert len(plan.snapshot["actions"]) == 2  # the snapshot itself did not change

    def test_ranking_opportunities(self, roadmap: Any) -> None:
        other = Opportunity.objects.create(city=roadmap.cast.city_a, title="Cleaner air", need="Asthma")
        client = roadmap.cast.client_for("rep_a")
        url = self.step(roadmap, "cycle_rank")
        fields = {f"rank-{roadmap.opportunity.pk}": "1", f"rank-{other.pk}": "1"}
        response = client.post(url, fields)
        assert response.status_code == 200
        assert "Rank 1 is already given" in response.content.decode()
        assert client.post(url, {**fields, f"rank-{roadmap.opportunity.pk}": "2"}).status_code == 302
        assert list(Opportunity.objects.values_list("title", "rank")) == [("Cleaner air", 1), ("Cut energy use", 2)]

    def reallocation(self, roadmap: Any, **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for action in (roadmap.owned, roadmap.draft):
            owner = (
                f"organisation-{action.owner_organisation_id}"
                if action.owner_organisation_id
                else f"person-{action.owner_person_id}"
            )
            data.update(
                {
                    f"a{action.pk}-owner": owner,
                    f"a{action.pk}-cycle": 1,
                    f"a{action.pk}-detail": "detailed",
                    f"a{action.pk}-budget": str(action.budget),
                    f"a{action.pk}-version": action.version,
                }
            )
        data.update({f"a{roadmap.draft.pk}-{k}": v for k, v in changes.items()})
        return data

    def test_reallocating_owner_cycle_and_budget(self, roadmap: Any) -> None:
        client = roadmap.cast.client_for("rep_a")
        cycle_1, cycle_2 = Cycle.objects.filter(programme=roadmap.cast.programme).order_by("number")[:2]
        data = self.reallocation(
            roadmap, owner=f"organisation-{roadmap.cast.organisation_a.pk}", cycle=2, detail="high-level", budget="1"
        )
        assert client.post(self.step(roadmap, "cycle_reallocate"), data).status_code == 302
        draft = Action.objects.get(pk=roadmap.draft.pk)
        assert draft.owner_organisation == roadmap.cast.organisation_a and draft.owner_person is None
        assert draft.cycle == cycle_2 and draft.detail == "high-level" and draft.budget == Decimal(1)
        assert draft.starts_on == roadmap.draft.starts_on + (cycle_2.starts_on - cycle_1.starts_on)
        assert Action.objects.get(pk=roadmap.owned.pk).version == 1  # unchanged lines are not written

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"budget": "-10"}, "An amount cannot be negative"),
            ({"cycle": "9"}, "Choose one of the programme&#x27;s cycles"),
            ({"owner": "person-OTHER"}, "Choose an owner among the people of the city"),
        ],
    )
    def test_bad_reallocation_changes_nothing(self, roadmap: Any, changes: dict[str, str], message: str) -> None:
        other = PersonFactory.create()
        give_role(other, RoleKind.CITY_REP, roadmap.cast.programme, city=roadmap.cast.city_b)
        changes = {k: v.replace("OTHER", str(other.pk)) for k, v in changes.items()}
        # A valid change on another line must not be saved either.
        data = self.reallocation(roadmap, **changes)
        data[f"a{roadmap.owned.pk}-budget"] = "1"
        response = roadmap.cast.client_for("rep_a").post(self.step(roadmap, "cycle_reallocate"), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Action.objects.get(pk=roadmap.owned.pk).budget == Decimal(20000)
        assert Action.objects.get(pk=roadmap.draft.pk).budget == Decimal(50000)

    def test_a_stale_line_is_reported_and_the_others_saved(self, roadmap: Any) -> None:
        data = self.reallocation(roadmap, budget="1")
        data[f"a{roadmap.owned.pk}-budget"] = "2"
        Action.objects.filter(pk=roadmap.draft.pk).update(version=5)  # someone else saved it meanwhile
        response = roadmap.cast.client_for("rep_a").post(self.step(roadmap, "cycle_reallocate"), data, follow=True)
        assert "Someone else changed Secret retrofit plan" in response.content.decode()
        assert Action.objects.get(pk=roadmap.draft.pk).budget == Decimal(50000)
        assert Action.objects.get(pk=roadmap.owned.pk).budget == Decimal(2)

    def test_the_mayor_signs_off_the_cycle_budget(self, roadmap: Any) -> None:
        url = reverse("roadmaps:sign_off", kwargs={"pk": roadmap.cast.city_a.pk, "number": 1})
        assert roadmap.cast.client_for("rep_a").post(url).status_code == 403
        assert roadmap.cast.client_for("mayor_a").post(url).status_code == 302
        sign_off = BudgetSignOff.objects.get()
        assert sign_off.amount == Decimal(70000)
        assert sign_off.signed_by == roadmap.cast.people["mayor_a"]
        assert len(sign_off.lines) == 2
        Action.objects.filter(pk=roadmap.draft.pk).update(budget=Decimal(60000))
        page = roadmap.cast.client_for("rep_a").get(self.url(roadmap)).content.decode()
        assert "needs a new sign-off" in page
        bad = reverse("roadmaps:sign_off", kwargs={"pk": roadmap.cast.city_a.pk, "number": 7})
        assert roadmap.cast.client_for("mayor_a").post(bad).status_code == 404

    def test_the_home_page_asks_the_mayor_to_sign_off_again_once_the_budget_changed(self, roadmap: Any) -> None:
        mayor = roadmap.cast.client_for("mayor_a")
        mayor.post(reverse("roadmaps:sign_off", kwargs={"pk": roadmap.cast.city_a.pk, "number": 1}))
        cycle_url = self.url(roadmap)
        assert "needs your sign-off again" not in mayor.get(reverse("core:home")).content.decode()

        # The total stays the same, but the money moves between actions: the sign-off no longer holds.
        Action.objects.filter(pk=roadmap.draft.pk).update(budget=Decimal(40000))
        Action.objects.filter(pk=roadmap.owned.pk).update(budget=Decimal(30000))
        home = mayor.get(reverse("core:home")).content.decode()

        assert "the budget of Cycle 1 changed since you signed it off; it needs your sign-off again" in home
        assert f'href="{cycle_url}"' in home
        assert "needs a new sign-off" in mayor.get(cycle_url).content.decode()
        assert (
            "needs your sign-off again"
            not in roadmap.cast.client_for("rep_a").get(reverse("core:home")).content.decode()
        )
        mayor.post(reverse("roadmaps:sign_off", kwargs={"pk": roadmap.cast.city_a.pk, "number": 1}))
        assert "needs your sign-off again" not in mayor.get(reverse("core:home")).content.decode()
