from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from pytest_django import Settings

from icc.core.responses import render_page, wants_fragment


def test_only_an_htmx_request_asks_for_the_fragment() -> None:
    factory = RequestFactory()
    assert wants_fragment(factory.get("/", headers={"HX-Request": "true"}))
    assert not wants_fragment(factory.get("/"))
    assert not wants_fragment(factory.get("/", headers={"HX-Request": "false"}))


def test_the_fragment_is_the_partial_of_the_page_and_the_page_holds_it(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "page.html").write_text(
        "<main>{% load partials %}{% partialdef note inline %}<p>{{ text }}</p>{% endpartialdef %}</main>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    factory = RequestFactory()
    plain, htmx = factory.get("/"), factory.get("/", headers={"HX-Request": "true"})
    plain.user = htmx.user = AnonymousUser()
    page = render_page(plain, "page.html", {"text": "saved"}, fragment="note")
    fragment = render_page(htmx, "page.html", {"text": "saved"}, fragment="note")
    assert page.content.decode() == "<main><p>saved</p></main>"
    assert fragment.content.decode() == "<p>saved</p>"
