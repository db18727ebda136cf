"""The catalogues are complete, reviewed and current: the public side's in every shipped
language, the whole platform's in the platform languages."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from icc.core import catalogues

LANGUAGES = catalogues.translated_languages()


def _ids(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalog = catalogues.read(language)
    assert str(catalog.locale) == language
    assert not catalog.fuzzy, "the header is still marked fuzzy"
    untranslated = []
    fuzzy = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(isinstance(s, str) and s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"untranslated in {language}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalogues.read(language).check()]
    assert not problems, problems[:10]


def _extracted(tmp_path: Path, sources: list[str]) -> set[tuple[str | None, str]]:
    """The strings ``makemessages`` finds in ``sources`` (apps or modules), tests left out."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext (xgettext) is needed: apt-get install gettext")
    for app in sources:
        source, target = catalogues.ROOT / app, tmp_path / app
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
        else:
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    (tmp_path / "locale").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(catalogues.ROOT),
        "ICC_ALLOW_INSECURE_KEY": "1",
    }
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "django", "makemessages", "-l", LANGUAGES[0], "--keep-pot", "--verbosity", "0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    # xgettext's template leaves the plural rule as a placeholder, which Babel cannot read.
    template = (tmp_path / "locale" / "django.pot").read_bytes()
    template = template.replace(b"nplurals=INTEGER; plural=EXPRESSION;", b"nplurals=2; plural=(n != 1);")
    return _ids(read_po(io.BytesIO(template)))


def test_the_catalogues_cover_every_string_of_the_public_pages(tmp_path: Path) -> None:
    extracted = _extracted(tmp_path, list(catalogues.PUBLIC_APPS))
    for language in LANGUAGES:
        shipped = _ids(catalogues.read(language))
        missing = extracted - shipped
        assert not missing, f"{language} lacks {sorted(missing, key=str)[:10]}: run python3 dev.py messages"


def test_the_platform_languages_cover_every_string_of_the_platform(tmp_path: Path) -> None:
    extracted = _extracted(tmp_path, ["icc"])
    assert len(extracted) > 3000  # every app's strings, not the public pages' alone
    for language in catalogues.PLATFORM_LANGUAGES:
        shipped = _ids(catalogues.read(language))
        missing = extracted - shipped
        assert not missing, f"{language} lacks {sorted(missing, key=str)[:10]}: run python3 dev.py messages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_reads_the_compiled_catalogue(language: str) -> None:
    catalogues.compile_all()
    catalog = catalogues.read(language)
    sample = next(m for m in catalog if m.id and isinstance(m.id, str) and not m.context and m.string != m.id)
    assert isinstance(sample.id, str) and isinstance(sample.string, str)
    with translation.override(language):
        assert translation.gettext(sample.id) == sample.string


def test_every_shipped_language_has_a_catalogue() -> None:
    assert settings.LANGUAGE_CODE == "en"
    for language in LANGUAGES:
        assert catalogues.po_path(language).exists(), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_written_in_the_languages_own_style(language: str) -> None:
    import datetime as dt

    from django.utils import formats

    moment = dt.datetime(2026, 12, 1, 15, 5)
    with translation.override(language):
        written = [
            formats.date_format(moment, name) for name in ("DATE_FORMAT", "DATETIME_FORMAT", "YEAR_MONTH_FORMAT")
        ]
        written.append(formats.date_format(moment, "SHORT_DATETIME_FORMAT"))
    for text in written:
        assert "December" not in text and "Dec." not in text, (language, text)
        assert "p.m." not in text and "PM" not in text, (language, text)
    assert "05" in written[1], (language, written[1])  # the time is there, in the language's clock
