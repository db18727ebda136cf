"""The 1:1 interviews: planning and recording, bad input, the guide, the insights in the
needs assessment, and the sensitive notes kept from everyone but their author and the
city's lead expert through every path: pages, lists, export, search, audit, API."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from icc.accounts.models import Person
from icc.core.models import AuditEntry
from icc.ecosystem import vocabulary
from icc.ecosystem.models import Insight, Interview, InterviewGuide, SensitiveNote
from icc.ecosystem.tests.conftest import NOTE_WORD, SUMMARY_WORD, Eco, count_queries
from icc.search import query
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _as(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _plan(eco: Eco, persona: str = "rep_a", **changes: Any) -> Any:
    data = {
        "version": 0,
        "organisation": eco.hub.pk,
        "contact": eco.contact.pk,
        "interviewer": eco.cast.person("lead_expert").pk,
        "planned_on": "2026-04-14",
        "status": "planned",
        "summary": "",
    }
    data.update(changes)
    return eco.client_for(persona).post(reverse("ecosystem:interview_plan", kwargs={"pk": eco.cast.city_a.pk}), data)


def test_an_interview_is_planned_then_recorded(eco: Eco) -> None:
    response = _plan(eco)
    assert response.status_code == 302
    interview = Interview.objects.exclude(pk=eco.interview.pk).get()
    assert interview.city == eco.cast.city_a and interview.created_by == eco.cast.person("rep_a")
    edit = reverse("ecosystem:interview_edit", kwargs={"pk": interview.pk})
    data = {
        "version": interview.version,
        "organisation": eco.hub.pk,
        "contact": eco.contact.pk,
        "interviewer": eco.cast.person("lead_expert").pk,
        "planned_on": "2026-04-14",
        "status": "held",
        "held_on": "2026-04-15",
        "summary": "Wants a joint data space.",
    }
    assert eco.client_for("lead_expert").post(edit, data).status_code == 302
    interview.refresh_from_db()
    assert (interview.status, interview.held_on, interview.summary) == (
        "held",
        dt.date(2026, 4, 15),
        "Wants a joint data space.",
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"planned_on": "9999-01-01"}, "planned_on", ""),
        ({"planned_on": "1899-12-31"}, "planned_on", ""),
        ({"summary": "x" * 5_001}, "summary", "5000"),
        ({"status": "held"}, "held_on", "Give the day"),
        ({"interviewer": "999999"}, "interviewer", "valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    eco: Eco, changes: dict[str, str], field: str, words: str
) -> None:
    response = _plan(eco, **changes)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert Interview.objects.count() == 1


def test_an_organisation_or_contact_of_another_city_is_a_form_error(eco: Eco) -> None:
    elsewhere = OrganisationFactory.create(city=eco.cast.city_b, name="Betatown Lab")
    response = _plan(eco, organisation=elsewhere.pk)
    assert response.status_code == 400 and "organisation" in response.context["form"].errors
    # A contact of city A, but at another organisation than the one interviewed.
    response = _plan(eco, organisation=eco.utility.pk)
    assert response.status_code == 400
    assert "works at another organisation" in " ".join(response.context["form"].errors["contact"])
    assert Interview.objects.count() == 1


def test_an_interview_of_another_city_is_404(eco: Eco) -> None:
    for name in ("ecosystem:interview", "ecosystem:interview_edit"):
        assert eco.client_for("rep_b").get(reverse(name, kwargs={"pk": eco.interview.pk})).status_code == 404
    note = reverse("ecosystem:note_save", kwargs={"pk": eco.interview.pk})
    assert eco.client_for("rep_b").post(note, {"text": "Mine"}).status_code == 404
    assert not SensitiveNote.objects.exists()


# The sensitive notes ---------------------------------------------------------------

SECRET = f"The director is leaving; {NOTE_WORD} deal is off."


def _write_note(client: Client, eco: Eco, text: str = SECRET) -> Any:
    return client.post(reverse("ecosystem:note_save", kwargs={"pk": eco.interview.pk}), {"text": text})


def _every_page(eco: Eco) -> list[str]:
    city = eco.cast.city_a.pk
    return [
        reverse("ecosystem:interview", kwargs={"pk": eco.interview.pk}),
        reverse("ecosystem:interview_edit", kwargs={"pk": eco.interview.pk}),
        reverse("ecosystem:interviews", kwargs={"pk": city}),
        reverse("ecosystem:interviews_csv", kwargs={"pk": city}),
        reverse("ecosystem:map", kwargs={"pk": city}),
        reverse("ecosystem:stakeholder", kwargs={"pk": eco.hub.pk}),
        reverse("assessments:city", kwargs={"pk": city}),
        reverse("cities:detail", kwargs={"pk": city}),
    ]


def _reads(client: Client, url: str) -> str:
    response = client.get(url)
    return response.content.decode("utf-8", "replace") if response.status_code == 200 else ""


def test_a_representatives_note_is_read_by_them_and_the_lead_expert_only(eco: Eco) -> None:
    cast = eco.cast
    assert _write_note(cast.client_for("rep_a"), eco).status_code == 302
    page = reverse("ecosystem:interview", kwargs={"pk": eco.interview.pk})
    assert NOTE_WORD in _reads(cast.client_for("rep_a"), page)
    assert NOTE_WORD in _reads(cast.client_for("lead_expert"), page)
    others = [cast.client_for(p) for p in ("organiser", "mayor_a", "thematic_expert", "transversal_expert", "rep_b")]
    others += [cast.client_for(p) for p in ("mentor", "stakeholder", "outsider", "anonymous")]
    others.append(_as(eco.other_rep))
    for client in others:
        for url in _every_page(eco):
            assert NOTE_WORD not in _reads(client, url), url


def test_the_lead_experts_note_is_kept_from_the_city_team_and_the_programme_team(eco: Eco) -> None:
    cast = eco.cast
    assert _write_note(cast.client_for("lead_expert"), eco).status_code == 302
    page = reverse("ecosystem:interview", kwargs={"pk": eco.interview.pk})
    assert NOTE_WORD in _reads(cast.client_for("lead_expert"), page)
    for client in (cast.client_for("rep_a"), cast.client_for("organiser"), cast.client_for("mayor_a")):
        for url in _every_page(eco):
            assert NOTE_WORD not in _reads(client, url), url
        # Their own note form starts empty, not with someone else's text.
        assert NOTE_WORD not in _reads(client, page)


def test_the_pages_show_the_note_to_its_reader_on_the_interview_page_only(eco: Eco) -> None:
    """Even its author and the lead expert never meet a note in a list, the export or the needs assessment."""
    _write_note(eco.cast.client_for("rep_a"), eco)
    for persona in ("rep_a", "lead_expert"):
        client = eco.cast.client_for(persona)
        for url in _every_page(eco)[2:]:
            assert NOTE_WORD not in _reads(client, url), url


def test_the_search_finds_no_note_for_anyone_author_included(eco: Eco) -> None:
    _write_note(eco.cast.client_for("rep_a"), eco)
    _write_note(eco.cast.client_for("lead_expert"), eco)
    people = [p for p in eco.cast.people.values() if p is not None] + [eco.other_rep]
    for person in people:
        assert query.search(person, NOTE_WORD) == []
    # The search works: the city's name is found by its team.
    assert query.search(eco.cast.person("rep_a"), "Alphaville")
    # Summaries are not indexed either: the interviews are found only through their pages.
    assert query.search(eco.cast.person("rep_a"), SUMMARY_WORD) == []


def test_the_audit_trail_never_copies_a_notes_text(eco: Eco) -> None:
    _write_note(eco.cast.client_for("rep_a"), eco)
    _write_note(eco.cast.client_for("rep_a"), eco, text=f"Changed: {NOTE_WORD} again")
    entries = list(AuditEntry.objects.all())
    assert any(e.changes.get("sensitive_note") == "written" for e in entries)
    for entry in entries:
        assert NOTE_WORD not in f"{entry.object_repr} {entry.changes} {entry.source}"
    note = SensitiveNote.objects.get()
    assert NOTE_WORD not in str(note)


def test_an_empty_note_deletes_ones_own_note_only(eco: Eco) -> None:
    _write_note(eco.cast.client_for("rep_a"), eco)
    _write_note(eco.cast.client_for("lead_expert"), eco, text="Lead's own")
    assert _write_note(eco.cast.client_for("lead_expert"), eco, text="").status_code == 302
    assert list(SensitiveNote.objects.values_list("author__email", flat=True)) == ["rep_a@example.org"]


def test_an_over_long_note_is_refused_and_nothing_saved(eco: Eco) -> None:
    response = _write_note(eco.cast.client_for("rep_a"), eco, text="x" * 5_001)
    assert response.status_code == 400 and "text" in response.context["note_form"].errors
    assert not SensitiveNote.objects.exists()


def test_the_mayor_writes_no_note(eco: Eco) -> None:
    assert _write_note(eco.cast.client_for("mayor_a"), eco).status_code == 403
    assert not SensitiveNote.objects.exists()


def test_the_api_has_no_route_to_interviews_or_notes() -> None:
    api_patterns: list[str] = []

    def walk(resolver: Any, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern, prefix + str(pattern.pattern))
            else:
                api_patterns.append(f"{prefix}{pattern.pattern} {getattr(pattern, 'name', '')}")

    walk(get_resolver(), "")
    routes = [p for p in api_patterns if p.startswith("api/")]
    assert routes, "the API's routes are found"
    assert not [r for r in routes if re.search(r"interview|ecosystem|note|contact", r)]
    source = " ".join(p.read_text() for p in (Path(__file__).resolve().parents[2] / "api").rglob("*.py"))
    assert "ecosystem" not in source and "SensitiveNote" not in source and "Interview" not in source


# Insights and the guide --------------------------------------------------------------


def test_insights_are_tagged_and_shown_in_the_needs_assessment(eco: Eco) -> None:
    theme = eco.cast.city_a.track
    assert theme is not None
    url = reverse("ecosystem:insight_add", kwargs={"pk": eco.interview.pk})
    client = eco.cast.client_for("lead_expert")
    refused = client.post(url, {"text": "Untagged"})
    assert refused.status_code == 400 and "Tag the insight" in refused.content.decode()
    assert client.post(url, {"text": "Open data portal is stale", "enabler": "nonsense"}).status_code == 400
    assert (
        client.post(url, {"text": "Mobility data could be pooled", "enabler": "data", "theme": theme.pk}).status_code
        == 302
    )
    assert Insight.objects.count() == 2
    page = eco.cast.client_for("rep_a").get(reverse("assessments:city", kwargs={"pk": eco.cast.city_a.pk}))
    html = page.content.decode()
    assert "What the 1:1 ecosystem interviews found" in html
    titles = [g.title for g in page.context["ecosystem_insights"]["enablers"]]
    assert titles == ["Local capabilities", "Data"]
    assert [g.title for g in page.context["ecosystem_insights"]["themes"]] == [theme.name]
    assert "Mobility data could be pooled" in html and "Start-ups lack test sites" in html
    # Experts outside the city's own viewers open the assessments but not the interviews' insights.
    other = eco.cast.client_for("thematic_expert").get(reverse("assessments:city", kwargs={"pk": eco.cast.city_a.pk}))
    assert other.status_code == 200 and "Start-ups lack test sites" not in other.content.decode()


def test_the_guide_starts_with_the_default_questions_and_the_programme_team_edits_it(eco: Eco) -> None:
    interviews = reverse("ecosystem:interviews", kwargs={"pk": eco.cast.city_a.pk})
    assert str(vocabulary.DEFAULT_QUESTIONS[0]) in eco.cast.client_for("rep_a").get(interviews).content.decode()
    url = reverse("ecosystem:guide", kwargs={"slug": eco.cast.programme.slug})
    client = eco.cast.client_for("organiser")
    assert client.post(url, {"version": 0, "questions": "  \n  "}).status_code == 400
    assert not InterviewGuide.objects.exists()
    assert client.post(url, {"version": 0, "questions": "What keeps you awake?\n\nWho funds you?"}).status_code == 302
    assert InterviewGuide.objects.get().question_list == ["What keeps you awake?", "Who funds you?"]
    assert "What keeps you awake?" in eco.cast.client_for("rep_a").get(interviews).content.decode()
    assert eco.cast.client_for("lead_expert").post(url, {"version": 1, "questions": "Mine"}).status_code == 403


def test_the_csv_export_holds_summaries_and_insights_and_neutralises_formulas(eco: Eco) -> None:
    Interview.objects.filter(pk=eco.interview.pk).update(summary='=HYPERLINK("http://x")')
    response = eco.cast.client_for("rep_a").get(reverse("ecosystem:interviews_csv", kwargs={"pk": eco.cast.city_a.pk}))
    text = response.content.decode("utf-8-sig")
    assert "Alphaville Innovation Hub" in text and "Start-ups lack test sites" in text
    assert "\"'=HYPERLINK" in text


def test_the_interview_list_reads_a_fixed_number_of_queries(eco: Eco) -> None:
    client = eco.cast.client_for("rep_a")
    url = reverse("ecosystem:interviews", kwargs={"pk": eco.cast.city_a.pk})
    client.get(url)
    small = count_queries(client, url)
    assert small <= 30
    for n in range(10):
        organisation = OrganisationFactory.create(city=eco.cast.city_a, name=f"Member {n}")
        interview = Interview.objects.create(
            city=eco.cast.city_a,
            organisation=organisation,
            interviewer=eco.other_rep,
            planned_on=dt.date(2026, 5, 1 + n),
            created_by=eco.other_rep,
        )
        Insight.objects.create(interview=interview, text="An insight", enabler="data")
    client.get(url)
    assert count_queries(client, url) <= small
    response = client.get(url)
    assert response.content.decode().count("Member ") >= 10
