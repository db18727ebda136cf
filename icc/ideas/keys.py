"""The keys of an idea: its author's private link, and the fingerprint that takes it once.

The private link carries a keyed hash of the idea and a random secret stored with it, so
the database alone does not give anyone the links; the site's secret key is needed too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from django.conf import settings
from django.urls import reverse

from icc.ideas.models import Idea

AUTHOR_KEY_LENGTH = 32


def _hash(*parts: str) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_secret() -> str:
    return secrets.token_hex(16)


def fingerprint(call_id: int, title: str, text: str) -> str:
    """The same for two ideas whose words differ only in case, accents' forms or spacing."""

    def normal(value: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", value).casefold().split())

    return _hash("idea", str(call_id), normal(title), normal(text))


def author_key(idea: Idea) -> str:
    return _hash("idea-author", str(idea.pk), idea.secret)[:AUTHOR_KEY_LENGTH]


def is_author_key(idea: Idea, key: str) -> bool:
    return bool(idea.secret) and hmac.compare_digest(author_key(idea), key)


def author_path(idea: Idea, programme_slug: str, city_slug: str) -> str:
    """The address of the idea's private page, in the active language."""
    return reverse(
        "public:idea_private",
        kwargs={
            "programme": programme_slug,
            "city": city_slug,
            "call": idea.call_id,
            "idea": idea.pk,
            "key": author_key(idea),
        },
    )
