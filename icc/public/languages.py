"""The languages of the public side: those its pages are translated into, and those a
city may write its own texts in.

The pages (every label, message and e-mail) exist in the languages of the ``LANGUAGES``
setting, each with a complete, reviewed catalogue under ``icc/<app>/locale/``. What a
city writes (a question, a call for ideas, a note on a KPI) may be in any of the EU's 24
official languages; a visitor reads it in their language when the city wrote one, and
in the city's default language otherwise, marked with its own ``lang``.
"""

from __future__ import annotations

from django.conf import settings

# The EU's official languages, each named in itself (as a language menu shows them).
EU_LANGUAGES: dict[str, str] = {
    "bg": "български",
    "cs": "čeština",
    "da": "dansk",
    "de": "Deutsch",
    "el": "ελληνικά",
    "en": "English",
    "es": "español",
    "et": "eesti",
    "fi": "suomi",
    "fr": "français",
    "ga": "Gaeilge",
    "hr": "hrvatski",
    "hu": "magyar",
    "it": "italiano",
    "lt": "lietuvių",
    "lv": "latviešu",
    "mt": "Malti",
    "nl": "Nederlands",
    "pl": "polski",
    "pt": "português",
    "ro": "română",
    "sk": "slovenčina",
    "sl": "slovenščina",
    "sv": "svenska",
}

# The language most of a country's people read, for a city's first default; a city
# changes it (Brussels, Helsinki or Bolzano may prefer another). Countries whose
# language is not an official EU language start in English.
COUNTRY_LANGUAGE: dict[str, str] = {
    "AT": "de",
    "BE": "nl",
    "BG": "bg",
    "CY": "el",
    "CZ": "cs",
    "DE": "de",
    "DK": "da",
    "EE": "et",
    "ES": "es",
    "FI": "fi",
    "FR": "fr",
    "GR": "el",
    "HR": "hr",
    "HU": "hu",
    "IE": "en",
    "IT": "it",
    "LT": "lt",
    "LU": "fr",
    "LV": "lv",
    "MT": "mt",
    "NL": "nl",
    "PL": "pl",
    "PT": "pt",
    "RO": "ro",
    "SE": "sv",
    "SI": "sl",
    "SK": "sk",
    "ME": "en",
    "RS": "en",
}

CONTENT_LANGUAGE_CHOICES = sorted(EU_LANGUAGES.items(), key=lambda item: item[0])


def page_languages() -> list[str]:
    """The languages the public pages are translated into, in the order of the setting."""
    return [code for code, _name in settings.LANGUAGES]


def language_of_country(country: str) -> str:
    return COUNTRY_LANGUAGE.get(country.upper(), settings.LANGUAGE_CODE)


def reading_order(language: str, default: str, available: list[str] | None = None) -> list[str]:
    """Which written language to show a reader of ``language``: theirs, the city's default,
    English, then any other the text exists in."""
    order = [language, default, settings.LANGUAGE_CODE]
    if available:
        order.extend(sorted(available))
    seen: list[str] = []
    for code in order:
        if code and code not in seen:
            seen.append(code)
    return seen
