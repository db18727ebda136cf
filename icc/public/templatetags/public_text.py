"""``{% text value default %}``: a text the city wrote, in the reader's language when it
exists, else in the city's default language, wrapped in a ``lang`` attribute whenever it
is not the language of the page. ``{% text value default paragraphs=True %}`` keeps the
paragraphs of a longer text."""

from __future__ import annotations

from collections.abc import Mapping

from django import template
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from icc.public.translations import pick

register = template.Library()


@register.simple_tag
def text(value: Mapping[str, str] | None, default: str, paragraphs: bool = False) -> SafeString:
    page = get_language() or "en"
    shown = pick(value, page, default)
    if paragraphs:
        body = mark_safe(linebreaks(shown.text, autoescape=True))  # noqa: S308 - escaped by linebreaks
        if shown.language == page:
            return body
        return format_html('<div lang="{}">{}</div>', shown.language, body)
    if shown.language == page:
        return format_html("{}", shown.text)
    return format_html('<span lang="{}">{}</span>', shown.language, shown.text)


@register.simple_tag
def written(value: str | None, language: str, paragraphs: bool = False) -> SafeString:
    """A text the city wrote in one known ``language`` (its strategy, an action's title),
    wrapped in a ``lang`` attribute when that is not the language of the page."""
    page = get_language() or "en"
    words = value or ""
    if paragraphs:
        body = mark_safe(linebreaks(words, autoescape=True))  # noqa: S308 - escaped by linebreaks
        return body if language == page else format_html('<div lang="{}">{}</div>', language, body)
    if language == page:
        return format_html("{}", words)
    return format_html('<span lang="{}">{}</span>', language, words)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context, keep_query: bool = True) -> SafeString:
    """Links to this page in each language the public pages are translated into; a page
    cached for everyone passes ``keep_query=False``, so that no visitor's query is kept."""
    from django.urls import translate_url

    from icc.public.languages import EU_LANGUAGES, page_languages

    request = context.get("request")
    if request is None:
        return mark_safe("")
    here = request.get_full_path() if keep_query else request.path
    page = get_language() or "en"
    languages = page_languages()
    first, _slash, rest = here.lstrip("/").partition("/")
    if first in languages:
        # Every public address starts with its language: swapping it is enough, and costs
        # nothing beside resolving the address once per language.
        def address(code: str) -> str:
            return f"/{code}/{rest}"
    else:

        def address(code: str) -> str:
            return translate_url(here, code)

    items = format_html_join(
        "",
        '<li><a href="{}" hreflang="{}" lang="{}"{}>{}</a></li>',
        (
            (
                address(code),
                code,
                code,
                mark_safe(' aria-current="true"') if code == page else "",
                EU_LANGUAGES.get(code, code),
            )
            for code in languages
        ),
    )
    return format_html('<ul class="language-links">{}</ul>', items)
