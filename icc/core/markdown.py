"""Markdown that people write (library pages, posts), made into HTML that is safe to show.

The text is parsed as CommonMark with raw HTML turned off, so ``<script>`` or ``<img
onerror>`` come out as visible text; markdown-it already refuses ``javascript:``,
``vbscript:`` and ``data:`` link targets. The HTML is then cleaned again with an allow
list (nh3, the Ammonia sanitiser), which is the rule that holds whatever the parser
does: only these tags and attributes, only http, https and mailto links, each marked
``rel="noopener noreferrer nofollow"``.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
# A heading written as "# Title" becomes a second-level heading: the page's own title is the first.
_rules = _parser.renderer.rules  # type: ignore[attr-defined]
_rules["heading_open"] = lambda tokens, idx, options, env: f"<h{min(int(tokens[idx].tag[1]) + 1, 6)}>"
_rules["heading_close"] = lambda tokens, idx, options, env: f"</h{min(int(tokens[idx].tag[1]) + 1, 6)}>"


def render(text: str) -> SafeString:
    html = _parser.render(text or "")
    cleaned = nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="noopener noreferrer nofollow"
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 with an allow list just above
