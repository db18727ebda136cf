from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from icc.assessments.actions import INSTRUMENTS, load_default_instruments, load_instrument
from icc.assessments.models import Answer, Instrument, Question, Response, ResponseStatus
from icc.core.models import AuditEntry, AuditKind

DEFINITION = {
    "key": "mini-scan",
    "version": 1,
    "name": "Mini scan",
    "description": "Two themes.",
    "disclaimer": "It primes a discussion; it is not a diagnostic.",
    "kind": "scan",
    "sections": [
        {
            "key": theme,
            "title": theme.title(),
            "questions": [
                {
                    "key": f"{theme}-{dim}",
                    "dimension": dim,
                    "text": f"{theme} {dim}?",
                    "type": "scale",
                    "levels": ["a", "b", "c", "d", "e"],
                    "required": dim == "performance",
                }
                for dim in ("performance", "maturity")
            ],
        }
        for theme in ("green", "health")
    ]
    + [
        {
            "key": "facts",
            "title": "Facts",
            "questions": [
                {"key": "share", "text": "Share online", "type": "percentage"},
                {"key": "since", "text": "Since", "type": "year"},
                {"key": "notes", "text": "Notes", "type": "text"},
                {"key": "tools", "text": "Tools", "type": "multiple", "choices": ["GIS", "BI"]},
            ],
        }
    ],
}


@pytest.fixture
def scan(cast):
    return load_instrument(programme=cast.programme, definition=DEFINITION)


SAVE, REOPEN = "assessments:response_save", "assessments:response_reopen"


def url(cast, instrument, round="baseline", name="assessments:response"):
    return reverse(name, kwargs={"pk": cast.city_a.pk, "instrument_pk": instrument.pk, "round": round})


def field(instrument, key):
    return f"q{Question.objects.get(section__instrument=instrument, key=key).pk}"


def test_the_shipped_thematic_scan_has_eight_questions_on_each_of_six_themes(cast):
    definition = json.loads((INSTRUMENTS / "thematic-scan.json").read_text())
    instrument = next(i for i in load_default_instruments(programme=cast.programme) if i.key == "thematic-scan")

    assert [len(s["questions"]) for s in definition["sections"]] == [8] * 6
    assert Question.objects.filter(section__instrument=instrument, type="scale").count() == 48
    assert next(i for i in load_default_instruments(programme=cast.programme) if i.key == "thematic-scan") == instrument


def test_a_new_version_loads_beside_the_old_one(cast, scan):
    load_instrument(programme=cast.programme, definition={**DEFINITION, "version": 2, "name": "Mini scan 2"})

    assert list(Instrument.objects.filter(key="mini-scan").order_by("version").values_list("version", flat=True)) == [
        1,
        2,
    ]
    page = cast.client_for("rep_a").get(reverse("assessments:city", kwargs={"pk": cast.city_a.pk})).content.decode()
    assert "Mini scan 2" in page and "Mini scan</h2>" not in page


def test_draft_is_saved_resumed_submitted_locked_and_reopened(cast, scan):
    rep, lead = cast.client_for("rep_a"), cast.client_for("lead_expert")
    green = field(scan, "green-performance")

    rep.post(url(cast, scan, name=SAVE), {green: "2", field(scan, "share"): "55.5", "save": "1"})
    resumed = rep.get(url(cast, scan))
    refused = rep.post(url(cast, scan, name=SAVE), {green: "2", "submit": "1"})
    submitted = rep.post(
        url(cast, scan, name=SAVE),
        {green: "2", field(scan, "health-performance"): "unknown", field(scan, "green-maturity"): "4", "submit": "1"},
    )
    locked = rep.post(url(cast, scan, name=SAVE), {green: "5", "save": "1"})
    lead.post(url(cast, scan, name=REOPEN))

    assert (
        'value="2" checked' in resumed.content.decode().replace("\n", "")
        or resumed.context["form"].initial[green] == "2"
    )
    assert "Answer the required questions" in refused.content.decode()
    assert submitted.status_code == 302 and submitted["Location"].endswith("/result/")
    assert locked.status_code == 403
    response = Response.objects.get()
    assert response.status == ResponseStatus.DRAFT
    answers = {a.question.key: (a.value, a.unknown) for a in Answer.objects.select_related("question")}
    assert answers == {
        "green-performance": (2, False),
        "share": ("55.5", False),
        "health-performance": (None, True),
        "green-maturity": (4, False),
    }
    assert [e.action for e in AuditEntry.objects.for_object(response)][:3] == [
        AuditKind.REOPENED,
        AuditKind.SUBMITTED,
        AuditKind.DRAFT_SAVED,
    ]


@pytest.mark.parametrize(
    ("key", "value"), [("green-performance", "7"), ("share", "150"), ("since", "1200"), ("tools", "Excel")]
)
def test_bad_answers_are_refused_and_nothing_is_saved(cast, scan, key, value):
    response = cast.client_for("rep_a").post(url(cast, scan, name=SAVE), {field(scan, key): value, "save": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Response.objects.exists()


def test_an_htmx_save_with_errors_gets_only_the_form_and_a_browser_the_whole_page(cast, scan):
    data = {field(scan, "green-performance"): "7", "save": "1"}
    rep = cast.client_for("rep_a")

    def sent(**headers):
        content = rep.post(url(cast, scan, name=SAVE), data, headers=headers).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)

    fragment, page = sent(**{"HX-Request": "true"}), sent()

    assert fragment.strip().startswith("<form") and "<html" not in fragment
    assert "<html" in page and fragment.strip() in page
    assert not Response.objects.exists()


def test_result_ranks_the_themes_with_reasons_and_says_it_is_not_a_diagnostic(cast, scan):
    rep = cast.client_for("rep_a")
    assert rep.get(url(cast, scan, name="assessments:result")).status_code == 404
    rep.post(
        url(cast, scan, name=SAVE),
        {
            field(scan, "green-performance"): "1",
            field(scan, "green-maturity"): "4",
            field(scan, "health-performance"): "5",
            field(scan, "health-maturity"): "2",
            "submit": "1",
        },
    )

    page = cast.client_for("thematic_expert").get(url(cast, scan, name="assessments:result")).content.decode()

    assert "not a diagnostic" in page
    assert page.index("<strong>Green</strong>") < page.index("<strong>Health</strong>")
    assert "much to gain" in page and "less to gain" in page
    assert "<svg" in page and "<table" in page


def test_others_cannot_answer_for_a_city(cast, scan):
    green = field(scan, "green-performance")

    assert cast.client_for("rep_b").post(url(cast, scan, name=SAVE), {green: "1", "save": "1"}).status_code == 404
    assert (
        cast.client_for("thematic_expert").post(url(cast, scan, name=SAVE), {green: "1", "save": "1"}).status_code
        == 403
    )
    assert cast.client_for("rep_a").post(url(cast, scan, name=REOPEN)).status_code == 403
    assert cast.client_for("rep_a").get(url(cast, scan, round="midway")).status_code == 404
    assert not Response.objects.exists()


def test_comparison_shows_baseline_against_rerun_per_question(cast, scan):
    rep = cast.client_for("rep_a")
    green = field(scan, "green-performance")
    rep.post(url(cast, scan, name=SAVE), {green: "2", field(scan, "health-performance"): "3", "submit": "1"})
    rep.post(
        url(cast, scan, round="rerun", name=SAVE),
        {green: "4", field(scan, "health-performance"): "unknown", "submit": "1"},
    )

    response = cast.client_for("lead_expert").get(
        reverse("assessments:compare", kwargs={"pk": cast.city_a.pk, "instrument_pk": scan.pk})
    )

    rows = {row["question"].key: (row["baseline"], row["rerun"], row["change"]) for row in response.context["rows"]}
    assert rows["green-performance"] == ("2", "4", "+2")
    assert rows["health-performance"] == ("3", "Don't know", "")
    assert rows["notes"] == ("—", "—", "")


def test_programme_team_rewords_a_question_and_bad_levels_are_refused(cast, scan):
    question = Question.objects.get(section__instrument=scan, key="green-performance")
    url_edit = reverse("assessments:question_edit", kwargs={"slug": cast.programme.slug, "pk": question.pk})
    client = cast.client_for("organiser")
    data = {"text": "How green is it?", "help": "", "required": "on", "allow_unknown": "on"}

    refused = client.post(url_edit, {**data, "levels": "a\nb"})
    saved = client.post(url_edit, {**data, "levels": "v1\nv2\nv3\nv4\nv5"})

    assert "exactly five labelled levels (2 given)" in refused.content.decode()
    assert saved.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.levels) == ("How green is it?", ["v1", "v2", "v3", "v4", "v5"])
    assert cast.client_for("rep_a").post(url_edit, data).status_code == 403
