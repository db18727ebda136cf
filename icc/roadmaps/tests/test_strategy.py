"""The strategy, its versions and comments, and the long list of solutions."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from icc.assessments.models import MaturityRating
from icc.roadmaps.models import (
    Solution,
    Strategy,
    StrategyComment,
)

pytestmark = pytest.mark.django_db


class TestStrategy:
    def url(self, cast: Any) -> str:
        return reverse("roadmaps:strategy_save", kwargs={"pk": cast.city_a.pk})

    def test_each_save_keeps_a_version_and_the_lead_expert_comments(self, cast: Any) -> None:
        client = cast.client_for("rep_a")
        fields = {"vision": "Green by 2030", "short_term_goals": "", "long_term_goals": "", "ecosystem_role": ""}
        assert client.post(self.url(cast), {**fields, "version": 0}).status_code == 302
        assert client.post(self.url(cast), {**fields, "vision": "Green by 2028", "version": 1}).status_code == 302
        strategy = Strategy.objects.get(city=cast.city_a)
        assert strategy.version == 2
        assert [v.vision for v in strategy.versions.order_by("number")] == ["Green by 2030", "Green by 2028"]

        version_url = reverse("roadmaps:strategy_version", kwargs={"pk": cast.city_a.pk, "number": 2})
        comment_url = reverse("roadmaps:strategy_comment", kwargs={"pk": cast.city_a.pk, "number": 2})
        page = client.get(version_url)
        assert "changed" in page.content.decode()
        assert client.post(comment_url, {"body": "Looks fine"}).status_code == 403
        assert cast.client_for("lead_expert").post(comment_url, {"body": "Make goal 2 measurable"}).status_code == 302
        assert StrategyComment.objects.get().body == "Make goal 2 measurable"
        assert "Make goal 2 measurable" in client.get(version_url).content.decode()

    def test_the_second_of_two_simultaneous_edits_is_told_and_nothing_is_overwritten(self, cast: Any) -> None:
        fields = {"short_term_goals": "", "long_term_goals": "", "ecosystem_role": ""}
        first, second = cast.client_for("rep_a"), cast.client_for("lead_expert")
        first.post(self.url(cast), {**fields, "vision": "Start", "version": 0})
        # Both open version 1; the first saves, then the second.
        assert first.post(self.url(cast), {**fields, "vision": "First's words", "version": 1}).status_code == 302
        response = second.post(self.url(cast), {**fields, "vision": "Second's words", "version": 1})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Someone else saved this" in body
        assert "First&#x27;s words" in body  # what is saved now
        assert "Second&#x27;s words" in body  # their own input, kept in the form
        assert Strategy.objects.get().vision == "First's words"
        assert Strategy.objects.get().versions.count() == 2
        # Having seen both, the second person may save on purpose.
        assert 'name="version" value="2"' in body
        assert second.post(self.url(cast), {**fields, "vision": "Merged", "version": 2}).status_code == 302
        assert Strategy.objects.get().vision == "Merged"

    def test_the_mayor_reads_but_does_not_edit(self, cast: Any) -> None:
        client = cast.client_for("mayor_a")
        assert client.get(reverse("roadmaps:strategy", kwargs={"pk": cast.city_a.pk})).status_code == 200
        assert client.post(self.url(cast), {"vision": "x", "version": 0}).status_code == 403
        assert not Strategy.objects.exists()


class TestSolutions:
    def test_the_long_list_takes_maturity_from_the_assessment(self, cast: Any) -> None:
        MaturityRating.objects.create(city=cast.city_a, solution="Smart meters", level=1, target=3)
        MaturityRating.objects.create(city=cast.city_a, solution="Open data portal", level=0, target=2)
        client = cast.client_for("rep_a")
        url = reverse("roadmaps:solutions", kwargs={"pk": cast.city_a.pk})
        from_assessment = reverse("roadmaps:solutions_from_assessment", kwargs={"pk": cast.city_a.pk})
        assert client.post(from_assessment).status_code == 302
        assert sorted(Solution.objects.values_list("name", flat=True)) == ["Open data portal", "Smart meters"]
        client.post(from_assessment)
        assert Solution.objects.count() == 2  # nothing added twice
        page = client.get(url).content.decode()
        assert "1 – Piloted" in page and "3 – Widely used and valued" in page

    def test_a_duplicate_name_is_refused(self, cast: Any) -> None:
        Solution.objects.create(city=cast.city_a, name="Smart meters")
        response = cast.client_for("rep_a").post(
            reverse("roadmaps:solution_add", kwargs={"pk": cast.city_a.pk}), {"name": "smart METERS"}
        )
        assert "already has a solution called" in response.content.decode()
        assert Solution.objects.count() == 1


def test_two_people_writing_the_first_strategy_at_once(cast: Any) -> None:
    url = reverse("roadmaps:strategy_save", kwargs={"pk": cast.city_a.pk})
    fields = {"short_term_goals": "", "long_term_goals": "", "ecosystem_role": "", "version": 0}
    assert cast.client_for("rep_a").post(url, {**fields, "vision": "First"}).status_code == 302
    second = cast.client_for("lead_expert").post(url, {**fields, "vision": "Second"})
    assert second.status_code == 200
    assert "Someone else saved this" in second.content.decode()
    assert Strategy.objects.get().vision == "First"
