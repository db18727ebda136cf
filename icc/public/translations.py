"""Texts a city writes in several languages: stored as ``{language: text}``, edited as
one form field per language, read in the visitor's language.

A model keeps such a text in a ``JSONField`` (``default=dict``). A form calls
:func:`add_fields` in ``__init__`` to get one field per language the city writes in, and
:func:`collect` in ``clean`` to turn them back into the stored mapping; templates show it
with ``{% load public_text %}{% text value default %}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from icc.public.languages import EU_LANGUAGES, reading_order


@dataclass(frozen=True)
class Shown:
    """A text as it is shown: the words, and the language they are written in."""

    text: str
    language: str

    def __str__(self) -> str:
        return self.text


def pick(value: Mapping[str, str] | None, language: str, default: str) -> Shown:
    """``value`` in the reader's ``language``, else in the city's ``default``, else any."""
    texts = {code: text for code, text in (value or {}).items() if isinstance(text, str) and text.strip()}
    for code in reading_order(language, default, list(texts)):
        if code in texts:
            return Shown(texts[code], code)
    return Shown("", language)


def field_name(name: str, language: str) -> str:
    return f"{name}__{language}"


def add_fields(
    form: forms.BaseForm,
    name: str,
    *,
    label: str,
    languages: Iterable[str],
    max_length: int,
    initial: Mapping[str, str] | None = None,
    textarea: bool = False,
) -> None:
    """Add one text field per language, labelled with the language's own name."""
    for code in languages:
        widget: forms.Widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
        form.fields[field_name(name, code)] = forms.CharField(
            label=f"{label} ({EU_LANGUAGES.get(code, code)})",
            max_length=max_length,
            required=False,
            widget=widget,
            initial=(initial or {}).get(code, ""),
        )
        form.fields[field_name(name, code)].widget.attrs["lang"] = code


def collect(
    cleaned_data: Mapping[str, Any], name: str, *, languages: Iterable[str], required: str | None = None
) -> dict[str, str]:
    """The stored mapping from the per-language fields; ``required`` is the language that must
    be filled (the city's default), or ``None`` when the text is optional."""
    texts = {}
    for code in languages:
        text = (cleaned_data.get(field_name(name, code)) or "").strip()
        if text:
            texts[code] = text
    if required and required not in texts:
        raise ValidationError(
            {
                field_name(name, required): _("Write this in %(language)s, the default language of the page.")
                % {"language": EU_LANGUAGES.get(required, required)}
            }
        )
    return texts
