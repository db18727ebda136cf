"""The city toolbox's and the search box's URLs in the permission matrix.

The toolbox is for the people taking part (PROGRAMME_MEMBERS): stakeholders and outsiders
get 404, as for anything they may not see. Each check sets up, once, a link and a file
shared with the whole programme by the organiser, and city A's accepted final version of
a deliverable. An empty form is the page again with its errors (400); a new version is
for the item's author (the organiser) and the programme team; a deliverable is offered
by those who may edit city A.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import (
    CITY_A_WRITE,
    FORBIDDEN,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    SIGNED_IN,
    Kwargs,
    Routes,
)

BAD_FORM = 400


def _toolbox(c: Any) -> dict[str, Any]:
    existing = getattr(c, "library_matrix", None)
    if existing is not None:
        return existing
    from django.core.files.base import ContentFile

    from icc.journey.tests.test_deliverable_content import pdf
    from icc.library.models import Form, Item, Kind, Version
    from tests.factories import accepted_final

    organiser = c.person("organiser")
    link = Item.objects.create(
        programme=c.programme,
        kind=Kind.GUIDANCE,
        form=Form.LINK,
        title="Handbook",
        url="https://example.org/handbook",
        added_by=organiser,
    )
    file = Item.objects.create(
        programme=c.programme, kind=Kind.GUIDANCE, form=Form.FILE, title="Canvas", added_by=organiser
    )
    version = Version(item=file, number=1, original_name="canvas.pdf", size=10, added_by=organiser)
    version.document.save("canvas.pdf", ContentFile(pdf()), save=False)
    version.save()
    submission = accepted_final(c.city_a, c.person("rep_a"), pdf())
    c.library_matrix = {"link": link, "file": file, "version": version, "submission": submission}
    return c.library_matrix


ITEM: Kwargs = lambda c: {"pk": _toolbox(c)["link"].pk}  # noqa: E731
FILE: Kwargs = lambda c: {"pk": _toolbox(c)["file"].pk}  # noqa: E731
VERSION: Kwargs = lambda c: {"pk": _toolbox(c)["version"].pk}  # noqa: E731
SUBMISSION: Kwargs = lambda c: {"pk": _toolbox(c)["submission"].pk}  # noqa: E731

MEMBERS_BAD_FORM = {p: BAD_FORM if s == OK else s for p, s in PROGRAMME_MEMBERS.items()}
AUTHOR_BAD_FORM = {p: FORBIDDEN if s == OK else s for p, s in PROGRAMME_MEMBERS.items()} | {"organiser": BAD_FORM}
AUTHOR_OK = {p: FORBIDDEN if s == OK else s for p, s in PROGRAMME_MEMBERS.items()} | {"organiser": OK}
AUTHOR_REDIRECTED = {**AUTHOR_OK, "organiser": REDIRECT}
OFFERERS = {p: REDIRECT if s == OK else s for p, s in CITY_A_WRITE.items()}

ROUTES: Routes = {
    "library:library": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "library:add": [("get", PROGRAMME, PROGRAMME_MEMBERS), ("post", PROGRAMME, MEMBERS_BAD_FORM)],
    "library:item": ("get", ITEM, PROGRAMME_MEMBERS),
    "library:version_add": ("post", FILE, AUTHOR_BAD_FORM),
    "library:edit": [("get", ITEM, AUTHOR_OK), ("post", ITEM, AUTHOR_BAD_FORM)],
    "library:remove": ("post", FILE, AUTHOR_REDIRECTED),
    "library:download": ("get", VERSION, PROGRAMME_MEMBERS),
    "library:offer": ("post", SUBMISSION, OFFERERS),
    # One search box for everyone signed in; what each finds follows the pages (icc/search/tests).
    "search:search": ("get", lambda c: {}, SIGNED_IN),
}
