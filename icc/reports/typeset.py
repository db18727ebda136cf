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

from icc.reports.models import ReportKind

TEMPLATES: dict[str, str] = {
    ReportKind.ASSESSMENT: "reports/pdf/assessment.html",
    ReportKind.ROADMAP: "reports/pdf/roadmap.html",
}
# The languages the reports' words are written in: those of the platform's own pages.
LANGUAGES = ("en",)


def language_for(reader: str | None) -> str:
    """The reader's language where the reports are written in it, English otherwise, so
    that the file's language is always the language of its words."""
    code = (reader or "").split("-")[0]
    return code if code in LANGUAGES else LANGUAGES[0]


def _stylesheets() -> list[Any]:
    from weasyprint import CSS

    site = finders.find("core/site.css")  # the charts' styles, as on the pages
    sheets = [CSS(filename=str(site))] if site else []
    own = finders.find("reports/print.css")
    return [*sheets, CSS(filename=str(own))] if own else sheets


@functools.cache
def _chart_style() -> str:
    """The charts' rules of the site's stylesheet, with its colours filled in: WeasyPrint
    draws an SVG with the styles inside it only, so each chart carries these."""
    site = finders.find("core/site.css")
    css = Path(str(site)).read_text(encoding="utf-8") if site else ""
    colours = dict(re.findall(r"--([\w-]+):\s*([^;]+);", css.split("}", 1)[0]))
    rules = re.findall(r"^((?:\.chart|svg\.plot)[^{]*\{[^}]*\})", css, re.M)
    return re.sub(r"var\(--([\w-]+)\)", lambda m: colours.get(m.group(1), "currentColor"), "\n".join(rules))


def _styled_charts(markup: str) -> str:
    style = f"<style>{_chart_style()}</style>"
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + style, markup)


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
        city = snapshot["city"]
        document.core_properties.title = f"{ReportKind(kind).label} – {city['name']}"
        document.add_heading(str(ReportKind(kind).label), level=0)
        document.add_paragraph(f"{city['name']}, {city['country']} · {city['programme']}")
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
