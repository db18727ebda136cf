"""You own your content: a city's or a provider's marketplace content as a JSON-LD file to
download, and the same file imported back, here or from another instance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from icc.core.types import AuthedHttpRequest
from icc.marketplace.portability import export, importer, reading
from icc.marketplace.portability.access import get_city_for_transfer, get_provider_for_transfer

PAGE = "marketplace/portability.html"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Marketplace export (.jsonld)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".jsonld,.json,application/ld+json,application/json"}),
    )


def _download(document: dict[str, Any], name: str) -> HttpResponse:
    filename = f"{slugify(name) or 'marketplace'}-marketplace.jsonld"
    return HttpResponse(
        export.dumps(document),
        content_type=export.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


Run = Callable[[UploadedFile, str], importer.Outcome]


def _import_page(request: AuthedHttpRequest, context: dict[str, Any], run: Run) -> HttpResponse:
    """The page with its form; on a POST, the import's outcome (400 when nothing was saved)."""
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    outcome = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        label = _("Marketplace import “%(file)s”") % {"file": (upload.name or "")[:120]}
        outcome = run(upload, label)
    context |= {"form": form, "outcome": outcome, "limit_mb": reading.limit() // 1_048_576}
    failed = bool(form.errors) or (outcome is not None and not outcome.ok)
    return render(request, PAGE, context, status=400 if failed else 200)


@login_required
@require_safe
def city_export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_transfer(request.user, pk)
    return _download(export.city_document(city, by=request.user), city.name)


@login_required
@require_http_methods(["GET", "POST"])
def city_import(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_transfer(request.user, pk)

    def run(upload: UploadedFile, label: str) -> importer.Outcome:
        return importer.import_city(city=city, source=upload, size=upload.size, by=request.user, label=label)

    context = {
        "programme": city.programme,
        "subject": city,
        "subject_url": reverse("marketplace:profile", kwargs={"pk": city.pk}),
        "export_url": reverse("marketplace:city_export", kwargs={"pk": city.pk}),
        "is_city": True,
    }
    return _import_page(request, context, run)


@login_required
@require_safe
def provider_export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    provider = get_provider_for_transfer(request.user, pk)
    return _download(export.provider_document(provider, by=request.user), provider.name)


@login_required
@require_http_methods(["GET", "POST"])
def provider_import(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    provider = get_provider_for_transfer(request.user, pk)

    def run(upload: UploadedFile, label: str) -> importer.Outcome:
        return importer.import_provider(
            provider=provider, source=upload, size=upload.size, by=request.user, label=label
        )

    context = {
        "programme": provider.programme,
        "subject": provider,
        "subject_url": provider.get_absolute_url(),
        "export_url": reverse("marketplace:provider_export", kwargs={"pk": provider.pk}),
        "is_city": False,
    }
    return _import_page(request, context, run)
