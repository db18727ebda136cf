import datetime as dt

from icc.programmes.actions import add_months, create_programme


def test_add_months_clamps_to_the_end_of_shorter_months():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_default_edition_follows_the_icc_calendar(db):
    programme = create_programme(name="ICC", slug="icc", first_month=dt.date(2020, 9, 17))

    phases = {p.key: (p.starts_on, p.ends_on, p.former_dcc_only) for p in programme.phases.all()}
    assert phases == {
        "activate-accelerate": (dt.date(2020, 9, 1), dt.date(2020, 10, 31), True),
        "preparation-assessment": (dt.date(2020, 9, 1), dt.date(2021, 1, 31), False),
        "ambition-roadmap": (dt.date(2021, 2, 1), dt.date(2021, 4, 30), False),
        "implementation": (dt.date(2021, 5, 1), dt.date(2022, 7, 31), False),
        "review-way-forward": (dt.date(2022, 8, 1), dt.date(2022, 9, 30), False),
    }
    cycles = [(c.starts_on, c.ends_on) for c in programme.cycles.all()]
    assert cycles == [
        (dt.date(2021, 5, 1), dt.date(2021, 9, 30)),
        (dt.date(2021, 10, 1), dt.date(2022, 2, 28)),
        (dt.date(2022, 3, 1), dt.date(2022, 7, 31)),
    ]
    assert programme.themes.count() == 5
    assert list(programme.services.values_list("slug", flat=True)) == ["finance", "procurement", "open-data"]
    assert programme.ends_on == dt.date(2022, 9, 30)
    phase = programme.phase_on(dt.date(2021, 3, 1))
    assert phase is not None and phase.key == "ambition-roadmap"
    assert programme.phase_on(dt.date(2023, 1, 1)) is None
