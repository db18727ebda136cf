import datetime as dt

import pytest
from django.urls import reverse


def formset_data(programme, **changes):
    data = {}
    for prefix, items in (("phases", programme.phases.all()), ("cycles", programme.cycles.all())):
        items = list(items)
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(items),
                f"{prefix}-INITIAL_FORMS": len(items),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, item in enumerate(items):
            data[f"{prefix}-{index}-id"] = item.pk
            if prefix == "phases":
                data[f"{prefix}-{index}-name"] = item.name
            data[f"{prefix}-{index}-starts_on"] = item.starts_on.isoformat()
            data[f"{prefix}-{index}-ends_on"] = item.ends_on.isoformat()
    data.update(changes)
    return data


def url(programme):
    return reverse("programmes:calendar_setup", kwargs={"slug": programme.slug})


def phase_index(programme, key):
    return [p.key for p in programme.phases.all()].index(key)


def test_team_moves_the_end_of_the_programme(cast):
    programme = cast.programme
    last = phase_index(programme, "review-way-forward")

    response = cast.client_for("organiser").post(
        url(programme), formset_data(programme, **{f"phases-{last}-ends_on": "2027-10-31"})
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.ends_on == dt.date(2027, 10, 31)
    assert programme.phases.get(key="review-way-forward").ends_on == dt.date(2027, 10, 31)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phases-{ambition}-starts_on", "2025-12-01", "must start after"),
        ("phases-{ambition}-ends_on", "2025-01-01", "cannot end before it starts"),
        ("cycles-1-starts_on", "2026-06-01", "must not overlap"),
        ("phases-{ambition}-starts_on", "not a date", "Enter a valid date"),
    ],
)
def test_bad_dates_are_refused_and_nothing_changes(cast, field, value, message):
    programme = cast.programme
    before = list(programme.phases.values_list("starts_on", "ends_on")) + list(
        programme.cycles.values_list("starts_on", "ends_on")
    )
    field = field.format(ambition=phase_index(programme, "ambition-roadmap"))

    response = cast.client_for("organiser").post(url(programme), formset_data(programme, **{field: value}))

    assert message in response.content.decode()
    after = list(programme.phases.values_list("starts_on", "ends_on")) + list(
        programme.cycles.values_list("starts_on", "ends_on")
    )
    assert after == before
