"""Plain text people typed, shown as they meant it."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter(needs_autoescape=True)
def bulleted(text: str, autoescape: bool = True) -> SafeString:
    """Lines that start with "- " become a list; other lines stay lines. Everything is escaped,
    whatever ``autoescape`` says: the text is typed by people."""
    blocks: list[str] = []
    items: list[str] = []
    lines: list[str] = []

    def close() -> None:
        if items:
            blocks.append("<ul>" + format_html_join("", "<li>{}</li>", ((i,) for i in items)) + "</ul>")
            items.clear()
        if lines:
            blocks.append("<p>" + "<br>".join(str(conditional_escape(line)) for line in lines) + "</p>")
            lines.clear()

    for line in str(text).splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            if lines:
                close()
            items.append(stripped[2:].strip())
        elif stripped:
            if items:
                close()
            lines.append(stripped)
        else:
            close()
    close()
    return mark_safe("".join(blocks))  # noqa: S308 - every piece is escaped above
