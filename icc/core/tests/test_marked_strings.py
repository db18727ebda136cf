"""Every user-visible string of the code is marked for translation: the words of the
templates outside ``{% translate %}`` and ``{% blocktranslate %}``, their visible
attributes, and the messages, errors and labels written in Python."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[3]
APPS = ROOT / "icc"
# Words that are the same in every language: units, codes and abbreviations of standards.
CODES = {"km", "km²", "min", "EUR", "SDG", "U4SSC", "KPI", "TAG", "CSV", "PDF", "JSON"}
# Pages in English whatever the reader's language, their <html lang="en"> says so.
ENGLISH_ONLY = {"api/templates/api/docs.html"}
VISIBLE_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt|placeholder|aria-description)="([^"]*)"')
OPENERS, CLOSERS = {"blocktranslate", "blocktrans", "comment"}, {"endblocktranslate", "endblocktrans", "endcomment"}


def _words(text: str) -> list[str]:
    tokens = re.findall(r"[^\W_]+", text)
    return [t for t in tokens if sum(c.isalpha() for c in t) >= 2 and t not in CODES]


def _unmarked_in_template(source: str) -> list[str]:
    """The text a reader would see that no translation tag holds."""
    depth, parts = 0, []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            depth += name in OPENERS
            depth -= name in CLOSERS
            parts.append("\x00")
        elif token.token_type in (TokenType.VAR, TokenType.COMMENT):
            parts.append("\x00")
        elif not depth:
            parts.append(token.contents)
    text = "".join(parts)
    found = [value for value in VISIBLE_ATTRIBUTES.findall(text) if _words(value.replace("\x00", " "))]
    text = re.sub(r"<(script|style|svg|code)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>|&#?\w+;", "\n", text, flags=re.S)
    found += [chunk.strip() for chunk in text.replace("\x00", " ").split("\n") if _words(chunk)]
    return found


def test_every_template_marks_its_words_for_translation() -> None:
    templates = sorted({*APPS.glob("*/templates/**/*.html"), *APPS.glob("*/templates/**/*.txt")})
    assert len(templates) > 200
    unmarked = [
        f"{path.relative_to(APPS)}: {text!r}"
        for path in templates
        if path.relative_to(APPS).as_posix() not in ENGLISH_ONLY
        for text in _unmarked_in_template(path.read_text(encoding="utf-8"))
    ]
    assert not unmarked, "\n".join(unmarked[:20])


def test_the_check_finds_words_left_unmarked() -> None:
    assert _unmarked_in_template('<p title="Close it">{% translate "Open" %} now</p>') == ["Close it", "now"]
    assert not _unmarked_in_template("<p>{% blocktranslate %}All {{ n }} here{% endblocktranslate %} 5 km</p>")


# Calls whose text argument a reader sees: messages to the page, validation errors, and
# the labels and help texts of fields.
MESSAGE_FUNCTIONS = {"error", "success", "info", "warning"}
TEXT_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}


def _unmarked_in_python(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(getattr(func, "value", None), "id", "")
        texts: list[ast.expr] = [kw.value for kw in node.keywords if kw.arg in TEXT_KEYWORDS]
        if owner == "messages" and name in MESSAGE_FUNCTIONS:
            texts += node.args[1:2]
        elif name == "ValidationError":
            texts += node.args[:1]
        lines += [
            node.lineno
            for text in texts
            if isinstance(text, ast.Constant) and isinstance(text.value, str) and _words(text.value)
        ]
    return lines


def test_every_message_error_and_label_in_python_is_marked() -> None:
    modules = [path for path in APPS.rglob("*.py") if "tests" not in path.parts and "migrations" not in path.parts]
    unmarked = [
        f"{path.relative_to(APPS)}:{line}" for path in modules for line in _unmarked_in_python(path.read_text())
    ]
    assert not unmarked, unmarked[:20]


def test_the_python_check_finds_a_bare_message() -> None:
    source = 'messages.error(request, "Saved")\nforms.CharField(label=_("Name"))\nValidationError("Too long")\n'
    assert _unmarked_in_python(source) == [1, 3]
