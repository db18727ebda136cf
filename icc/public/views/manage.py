"""The city team's publication settings: the page, a POST per verb, and a preview.

Open to the city's editors and the programme team (``write=True`` in the city's access
rules): anyone else who may see the city gets 403, everyone else 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.models import City
from icc.core.models import AuditEntry
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.public import actions, pages
from icc.public.access import get_city_publication_for_user
from icc.public.forms import PublicationForm
from icc.public.languages import EU_LANGUAGES, page_languages
from icc.public.models import Publication

PAGE = "public/manage/settings.html"


def _initial(city: City, publication: Publication | None) -> actions.Settings:
    if publication is None:
        return actions.default_settings(city)
    return actions.Settings(
        slug=publication.slug,
        default_language=publication.default_language,
        languages=list(publication.languages),
        roadmap_language=publication.roadmap_language,
        introduction=dict(publication.introduction),
        next_update_on=publication.next_update_on,
        kpis=list(publication.kpis.all()),
        actions=list(publication.actions.all()),
    )


def _public_url(publication: Publication | None, name: str = "public:city") -> str:
    if publication is None:
        return ""
    with translation.override(
        publication.default_language if publication.default_language in page_languages() else "en"
    ):
        return reverse(name, kwargs={"programme": publication.programme.slug, "city": publication.slug})


def _page(
    request: AuthedHttpRequest, city: City, publication: Publication | None, form: PublicationForm | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "city": city,
        "publication": publication,
        "form": form or PublicationForm(city=city, initial=_initial(city, publication)),
        "public_url": _public_url(publication),
        "dashboard_url": _public_url(publication, "public:city_dashboard"),
        "history": list(AuditEntry.objects.for_object(publication).select_related("actor")[:10]) if publication else [],
    }
    return render_page(request, PAGE, context, fragment="settings-form")


@login_required
@require_safe
def settings_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city, publication = get_city_publication_for_user(request.user, pk, write=True)
    return _page(request, city, publication)


@login_required
@require_POST
def settings_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city, publication = get_city_publication_for_user(request.user, pk, write=True)
    form = PublicationForm(request.POST, city=city, initial=_initial(city, publication))
    if not form.is_valid():
        return _page(request, city, publication, form)
    try:
        actions.save_settings(city=city, settings=form.settings(), by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, city, publication, form)
    messages.success(request, _("Public page settings saved."))
    return redirect("public_manage:settings", pk=city.pk)


@login_required
@require_POST
def publish_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city, publication = get_city_publication_for_user(request.user, pk, write=True)
    if publication is None:
        messages.error(request, _("Save the settings first; then publish the page."))
    else:
        actions.publish(publication=publication, by=request.user)
        messages.success(request, _("The public page is published."))
    return redirect("public_manage:settings", pk=city.pk)


@login_required
@require_POST
def unpublish_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city, publication = get_city_publication_for_user(request.user, pk, write=True)
    if publication is None or not publication.published:
        messages.info(request, _("The public page was not published."))
    else:
        actions.unpublish(publication=publication, by=request.user)
        messages.success(request, _("The public page is no longer published."))
    return redirect("public_manage:settings", pk=city.pk)


def _preview(request: AuthedHttpRequest, pk: int, template: str, build: Any) -> HttpResponse:
    city, publication = get_city_publication_for_user(request.user, pk, write=True)
    if publication is None:
        messages.info(request, _("Save the settings first; then preview the page."))
        return redirect("public_manage:settings", pk=city.pk)
    languages = page_languages()
    asked = request.GET.get("language", "")
    default = publication.default_language if publication.default_language in languages else languages[0]
    language = asked if asked in languages else default
    with translation.override(language):
        context = build(publication, preview=True)
        context["update_passed"] = pages.next_update_passed(publication, timezone.localdate())
        context["preview_languages"] = [(code, EU_LANGUAGES.get(code, code)) for code in languages]
        context["preview_language"] = language
        return render(request, template, context)


@login_required
@require_safe
def preview_city(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _preview(request, pk, "public/city.html", pages.city_context)


@login_required
@require_safe
def preview_dashboard(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _preview(request, pk, "public/dashboard.html", pages.dashboard_context)
