"""A report's files, made from its snapshot alone: a tagged PDF (PDF/UA-1) with its
language set, through WeasyPrint, and the same content as a Word document for the cities
that edit their report."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from icc.core.catalogues import PLATFORM_LANGUAGES
from icc.reports.models import ReportKind

TEMPLATES: dict[str, str] = {
    ReportKind.ASSESSMENT: "reports/pdf/assessment.html",
    ReportKind.ROADMAP: "reports/pdf/roadmap.html",
    ReportKind.FINAL: "reports/pdf/final.html",
    ReportKind.PROGRAMME: "reports/pdf/programme.html",
}
# The languages the reports' words are written in: those of the platform's own pages.
LANGUAGES = ("en", *PLATFORM_LANGUAGES)


def language_for(reader: str | None) -> str:
    """The reader's language where the reports are written in it, English otherwise, so
    that the file's language is always the language of its words."""
    code = (reader or "").split("-")[0]
    return code if code in LANGUAGES else LANGUAGES[0]


def _stylesheets() -> list[Any]:
    """The reports' own print stylesheet: the pages' stylesheet is not needed (each chart
    carries its rules, see :func:`_chart_style`) and would cost its parsing and its page
    layout to every report."""
    from weasyprint import CSS

    own = finders.find("reports/print.css")
    return [CSS(filename=str(own))] if own else []


# The stylesheets the charts' rules come from, and how those rules start.
CHART_RULES = (("core/site.css", r"\.chart|svg\.plot"), ("dashboard/dashboard.css", r"svg\.dash-chart"))


@functools.cache
def _chart_rules() -> tuple[tuple[frozenset[str], str], ...]:
    """The charts' rules of the pages' stylesheets, with the site's colours filled in, each
    with the classes its selector names."""
    sheets = {name: finders.find(name) for name, _starts in CHART_RULES}
    texts = {name: Path(str(found)).read_text(encoding="utf-8") if found else "" for name, found in sheets.items()}
    colours = dict(re.findall(r"--([\w-]+):\s*([^;]+);", texts["core/site.css"].split("}", 1)[0]))
    rules = []
    for name, starts in CHART_RULES:
        for rule in re.findall(rf"^((?:{starts})[^{{]*\{{[^}}]*\}})", texts[name], re.M):
            filled = re.sub(r"var\(--([\w-]+)\)", lambda m: colours.get(m.group(1), "currentColor"), rule)
            rules.append((frozenset(re.findall(r"\.([\w-]+)", rule.split("{", 1)[0])), filled))
    return tuple(rules)


def _chart_style(svg: str) -> str:
    """The rules a chart needs: WeasyPrint draws an SVG with the styles inside it only, and
    parses them once a chart, so each carries those whose classes it uses."""
    used = {name for names in re.findall(r'class="([^"]*)"', svg) for name in names.split()}
    return "\n".join(rule for classes, rule in _chart_rules() if classes <= used)


def _styled_charts(markup: str) -> str:
    return re.sub(
        r"(<svg\b[^>]*>)(.*?</svg>)",
        lambda m: f"{m.group(1)}<style>{_chart_style(m.group(0))}</style>{m.group(2)}",
        markup,
        flags=re.S,
    )


def html(kind: str, snapshot: dict[str, Any], *, language: str, made_at: dt.datetime) -> str:
    with translation.override(language):
        return _styled_charts(
            render_to_string(
                TEMPLATES[kind],
                {"s": snapshot, "language": language, "made_at": made_at, "kind_label": str(ReportKind(kind).label)},
            )
        )


def fetcher() -> Any:
    """The report's HTML is the platform's own and needs nothing from outside: any address
    in it (an image or a stylesheet someone managed to slip in) is refused, never fetched."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=())


def pdf_bytes(kind: str, snapshot: dict[str, Any], *, language: str, made_at: dt.datetime) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html(kind, snapshot, language=language, made_at=made_at), url_fetcher=fetcher())
    return bytes(document.write_pdf(stylesheets=_stylesheets(), pdf_variant="pdf/ua-1"))


def docx_bytes(kind: str, snapshot: dict[str, Any], *, language: str, made_at: dt.datetime) -> bytes:
    """The same sections and tables as the PDF; the charts' figures are in the tables."""
    from docx import Document

    with translation.override(language):
        document = Document()
        document.core_properties.language = language
        city = snapshot.get("city")
        subject = city["name"] if city else snapshot["programme"]["name"]
        document.core_properties.title = f"{ReportKind(kind).label} – {subject}"
        document.add_heading(str(ReportKind(kind).label), level=0)
        document.add_paragraph(f"{city['name']}, {city['country']} · {city['programme']}" if city else subject)
        document.add_paragraph(
            _("Made on %(day)s from the data as it was then.") % {"day": date_format(made_at, "DATE_FORMAT")}
        )
        for heading, rows, header in _sections(kind, snapshot):
            document.add_heading(heading, level=1)
            if isinstance(rows, str):
                for paragraph in rows.split("\n\n"):
                    document.add_paragraph(paragraph)
                continue
            if not rows:
                document.add_paragraph(_("Nothing recorded yet."))
                continue
            table = document.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
            for row in rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _sections(kind: str, s: dict[str, Any]) -> list[tuple[str, Any, list[str]]]:
    """(heading, rows or text, column headings) of the Word document, in the PDF's order."""
    if kind == ReportKind.FINAL:
        return _final_sections(s)
    if kind == ReportKind.PROGRAMME:
        return _programme_sections(s)
    if kind == ReportKind.ASSESSMENT:
        scan = s.get("scan") or {}
        enablers = s.get("enablers") or {}
        strategy = s["strategy"]
        return [
            (
                _("Thematic scan"),
                [[p["theme"], p["performance"], p["maturity"]] for p in scan.get("profiles", [])],
                [_("Theme"), _("City performance"), _("Technology maturity")],
            ),
            (
                _("Local enablers survey"),
                [[r["title"], r["mean"], r["answers"]] for r in enablers.get("rows", [])],
                [_("Enabler"), _("Mean"), _("Answers")],
            ),
            (
                _("Indicators"),
                [[i["name"], f"{i['value']} {i['unit']}", i["year"], i["source"]] for i in s["indicators"]],
                [_("Indicator"), _("Value"), _("Year"), _("Source")],
            ),
            (
                _("Technology maturity"),
                [[m["solution"], m["level"], m["target"]] for m in s["maturity"]],
                [_("Solution"), _("Current level"), _("Target level")],
            ),
            (_("Vision"), strategy["vision"] or _("Nothing recorded yet."), []),
            (_("Short-term goals"), strategy["short_term_goals"] or _("Nothing recorded yet."), []),
            (_("Long-term goals"), strategy["long_term_goals"] or _("Nothing recorded yet."), []),
            (
                _("Priority solutions"),
                [[x["name"], x["description"]] for x in s["solutions"]],
                [_("Solution"), _("Why and how")],
            ),
        ]
    return [
        (_("Opportunities"), [[o["title"], o["need"]] for o in s["opportunities"]], [_("Opportunity"), _("Need")]),
        (
            _("Actions"),
            [
                [a["title"], a["opportunity"], a["owner"], a["starts_on"], a["ends_on"], a["budget"], a["status"]]
                for a in s["actions"]
            ],
            [_("Action"), _("Opportunity"), _("Owner"), _("Start"), _("End"), _("Budget"), _("Status")],
        ),
        (
            _("KPI targets"),
            [
                [
                    k["name"],
                    f"{k['baseline']} ({k['baseline_date']})",
                    f"{k['target']} ({k['target_date']})",
                    k["latest"],
                    k["status"],
                ]
                for k in s["kpis"]
            ],
            [_("KPI"), _("Baseline"), _("Target"), _("Latest value"), _("Status")],
        ),
    ]


def _final_sections(s: dict[str, Any]) -> list[tuple[str, Any, list[str]]]:
    sections: list[tuple[str, Any, list[str]]] = [
        (
            instrument["name"],
            [[r["question"], r["baseline"], r["rerun"], r["change"]] for r in instrument["rows"]],
            [_("Question"), _("Baseline"), _("Re-run"), _("Change")],
        )
        for instrument in s["instruments"]
    ]
    enablers = s.get("enablers") or {}
    kept = s["commitments_kept"]
    return [
        *sections,
        (
            _("Local enablers survey"),
            [[r["title"], r["baseline"], r["rerun"]] for r in enablers.get("rows", [])],
            [_("Enabler"), _("Baseline"), _("Re-run")],
        ),
        (
            _("Indicators"),
            [
                [f"{i['name']} ({i['unit']})", i["baseline"], i["rerun"], i["change"], i["direction"]]
                for i in s["indicators"]
            ],
            [_("Indicator"), _("Baseline"), _("Re-run"), _("Change"), _("Direction")],
        ),
        (
            _("Technology maturity"),
            [[m["solution"], m["baseline"], m["rerun"], m["target"]] for m in s["maturity"]],
            [_("Solution"), _("Baseline"), _("Re-run"), _("Target level")],
        ),
        (
            _("KPI progress"),
            [[f"{k['name']} ({k['unit']})", k["baseline"], k["latest"], k["target"], k["status"]] for k in s["kpis"]],
            [_("KPI"), _("Baseline"), _("Latest value"), _("Target"), _("Status")],
        ),
        (
            _("Actions done and budget spent"),
            [[a["title"], a["ends_on"], a["budget"], a["spent"]] for a in s["actions_done"]]
            + [[_("All actions not dropped"), "", s["budget_total"], s["spent_total"]]],
            [_("Action"), _("End"), _("Budget"), _("Spent")],
        ),
        (
            _("TAG commitments kept"),
            [[c["text"], f"{c['tag']}, {c['session']}", c["status"]] for c in s["commitments"]],
            [_("Commitment"), _("Session"), _("Status")],
        ),
        (
            _("Commitments by status"),
            [
                [_("Done"), kept["done"]],
                [_("Partly done"), kept["partly"]],
                [_("Not done"), kept["not_done"]],
                [_("Open"), kept["open"]],
            ]
            if s["commitments"]
            else [],
            [_("Status"), _("Commitments")],
        ),
    ]


def _programme_sections(s: dict[str, Any]) -> list[tuple[str, Any, list[str]]]:
    cohort_header = [_("Cities"), _("On schedule"), _("Behind schedule"), _("Not started")]

    def cohort(rows: list[dict[str, Any]]) -> list[list[str]]:
        return [[r["label"], r["cities"], r["on_schedule"], r["behind"], r["not_started"]] for r in rows]

    total = s["funding_total"]
    return [
        (
            _("The cohort by phase"),
            [[r["label"], *r["counts"], r["total"]] for r in s["phases"]],
            [_("Phase"), *s["phase_statuses"], _("Cities")],
        ),
        (_("By thematic track"), cohort(s["tracks"]), [_("Thematic track"), *cohort_header]),
        (_("By country"), cohort(s["countries"]), [_("Country"), *cohort_header]),
        (_("By city type"), cohort(s["types"]), [_("City type"), *cohort_header]),
        (
            _("KPI statuses across cities"),
            [[r["status"], r["kpis"], r["cities"]] for r in s["kpi_statuses"]],
            [_("Status"), _("KPIs"), _("Cities")],
        ),
        (
            _("Thematic action groups"),
            [[t["name"], t["held"], t["sessions"], *t["commitments"]] for t in s["tags"]],
            [_("TAG"), _("Sessions held"), _("Sessions"), *s["commitment_statuses"]],
        ),
        (
            _("Funding secured"),
            [
                [f["funding_programme"], f["applications"], f["awarded"], f["requested"], f["secured"]]
                for f in s["funding"]
            ]
            + (
                [[_("All"), total["applications"], total["awarded"], total["requested"], total["secured"]]]
                if s["funding"]
                else []
            ),
            [_("Funding programme"), _("Applications"), _("Awarded"), _("Requested"), _("Secured")],
        ),
    ]
