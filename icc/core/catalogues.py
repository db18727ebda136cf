"""The translation catalogues: where they are, what they cover, and compiling them without
GNU gettext.

The public pages (icc/public, icc/consultations, icc/ideas, and the marketplace's
vocabulary and filters that its public pages show) are translated into every
language of the ``LANGUAGES`` setting; the whole platform (every page, e-mail and
report) into the languages of ``PLATFORM_LANGUAGES``. The catalogues live in
``locale/<language>/`` and are kept in the repository as ``.po`` files only. :func:`compile_all` writes the
``.mo`` files Django reads, with Babel, whenever they are older than their ``.po``: the
set-up and the test run call it. ``python3 dev.py messages`` refreshes the ``.po`` files
from the code (GNU gettext's xgettext does the extracting).
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
DOMAIN = "django"
# The apps, and single modules of other apps, whose strings make up the public catalogue;
# everything else is left out of the extraction.
PUBLIC_APPS = (
    "icc/public",
    "icc/consultations",
    "icc/ideas",
    "icc/marketplace/vocabulary.py",
    "icc/marketplace/finding.py",
    "icc/marketplace/filters.py",
    "icc/marketplace/wording.py",
)


# The languages the whole platform is translated into, besides English; the others have
# the public pages' strings only.
PLATFORM_LANGUAGES = ("de", "es", "fr", "it", "pl")


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def compile_all(*, force: bool = False) -> list[str]:
    """Write the ``.mo`` file of every catalogue that changed; returns their languages."""
    written = []
    for po in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        language = po.parent.parent.name
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        # Written aside and moved into place: two processes compiling at once (the test runs
        # on both databases) must never read a file half written.
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.partial")
        with partial.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        partial.replace(mo)
        written.append(language)
    return written


def platform_ignored_paths() -> list[str]:
    """What ``makemessages`` should not read for a language of the whole platform: the
    tests and every folder outside icc/."""
    ignored = ["icc/*/tests/*"]
    ignored += [f"{e.name}/*" for e in sorted(ROOT.iterdir()) if e.is_dir() and e.name not in ("icc", "locale")]
    return ignored


def ignored_paths() -> list[str]:
    """What ``makemessages`` should not read for a language of the public pages only: every
    folder outside the public apps (the files at the top of the repository hold no
    translatable strings)."""
    public = {Path(app) for app in PUBLIC_APPS}
    holding_modules = {path.parent for path in public if path.suffix == ".py"}
    ignored: list[str] = []
    for entry in sorted(ROOT.iterdir()):
        name = entry.name
        if name == "icc":
            for app in sorted(entry.iterdir()):
                relative = Path("icc", app.name)
                if not app.is_dir() or relative in public:
                    continue
                if relative in holding_modules:  # only some of its modules are public
                    ignored.extend(
                        f"{relative}/{child.name}" + ("/*" if child.is_dir() else "")
                        for child in sorted(app.iterdir())
                        if relative / child.name not in public
                    )
                else:
                    ignored.append(f"{relative}/*")
        elif entry.is_dir() and name != "locale":
            # Only folders: a pattern naming a file (manage.py) would also match every file
            # of that name in the public apps (icc/public/views/manage.py).
            ignored.append(f"{name}/*")
    return ignored


def tidy_header(language: str) -> None:
    """Give a catalogue made by ``makemessages`` a real header: its language, the project,
    and no fuzzy mark (a fuzzy header would be left out of the compiled file)."""
    path = po_path(language)
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition('\nmsgid ""\n')
    lines = [line for line in head.splitlines() if line.strip() != "#, fuzzy"]
    head = "\n".join(
        [
            "# The ICC platform's public pages.",
            "# This file is distributed under the same licence as the ICC platform (EUPL-1.2).",
        ]
        if lines and lines[0].startswith("# SOME DESCRIPTIVE TITLE")
        else lines
    )
    replacements = {
        '"Project-Id-Version: PACKAGE VERSION\\n"': '"Project-Id-Version: ICC platform\\n"',
        '"Language: \\n"': f'"Language: {language}\\n"',
        '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"': '"Last-Translator: ICC platform team\\n"',
        '"Language-Team: LANGUAGE <LL@li.org>\\n"': f'"Language-Team: {language}\\n"',
    }
    for old, new in replacements.items():
        rest = rest.replace(old, new, 1)
    path.write_text(head + sep + rest, encoding="utf-8")
