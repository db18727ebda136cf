"""The address a request came from, as far as it can be trusted."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address.

    Behind the TLS proxy (``ICC_BEHIND_TLS_PROXY``) every request comes from the proxy, which
    adds the address it saw at the right of ``X-Forwarded-For``; anything to its left was
    written by the client and is ignored. Addresses in ``ICC_TRUSTED_PROXIES`` (further
    proxies of the deployment) are skipped from the right.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.SECURE_PROXY_SSL_HEADER is None:
        return remote
    trusted = {remote, *getattr(settings, "ICC_TRUSTED_PROXIES", ())}
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address
    return remote
