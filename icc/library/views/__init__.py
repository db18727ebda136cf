"""The city toolbox's pages: the library with search and facets, an item, sharing one,
a new version, a file (only through an access check), and a deliverable offered."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.core import markdown
from icc.core.pagination import paginate, query_without_page
from icc.core.types import AuthedHttpRequest
from icc.journey.access import get_submission_for_user
from icc.library import access, actions
from icc.library.forms import ItemForm, SearchForm, VersionForm
from icc.library.models import Form, Item, Kind
from icc.public.languages import EU_LANGUAGES

LIBRARY_PAGE = "library/library.html"
ITEM_PAGE = "library/item.html"
ADD_PAGE = "library/add.html"
EDIT_PAGE = "library/edit.html"
PER_PAGE = 25


def _searched(items: QuerySet[Item], search: SearchForm, since: object) -> QuerySet[Item]:
    if not search.is_valid():
        return items
    data = search.cleaned_data
    words = (data.get("q") or "").split()
    for word in words[:10]:
        items = items.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
    if data.get("kind"):
        items = items.filter(kind=data["kind"])
    if data.get("theme"):
        items = items.filter(themes=data["theme"])
    if data.get("phase"):
        items = items.filter(phase=data["phase"])
    if data.get("language"):
        items = items.filter(language=data["language"])
    if data.get("new") and since is not None:
        items = items.filter(updated_at__gt=since)
    return items.distinct()


def _facets(items: QuerySet[Item]) -> dict[str, list[tuple[str, Any]]]:
    """How many items in reach there are of each kind and in each language, in words."""
    kinds = dict(items.values_list("kind").annotate(n=Count("pk", distinct=True)).order_by())
    languages = dict(items.values_list("language").annotate(n=Count("pk", distinct=True)).order_by())
    return {
        "kind": [(str(label), kinds[value]) for value, label in Kind.choices if value in kinds],
        "language": [(str(EU_LANGUAGES.get(code, code)), n) for code, n in sorted(languages.items()) if code],
    }


@login_required
@require_safe
def library(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_library_for_user(request.user, slug)
    since = actions.note_visit(person=request.user, programme=programme)
    reach = access.visible_items(request.user, programme)
    search = SearchForm(request.GET or None, programme=programme)
    found = _searched(reach, search, since).select_related("phase").prefetch_related("themes")
    page = paginate(request, found, per_page=PER_PAGE)
    context = {
        "programme": programme,
        "search": search,
        "page": page,
        "query": query_without_page(request),
        "since": since,
        "new_count": reach.filter(updated_at__gt=since).count() if since else 0,
        "facets": _facets(reach),
        "may_add": bool(access.kinds_for(request.user, programme)),
    }
    return render(request, LIBRARY_PAGE, context)


def _item_page(request: AuthedHttpRequest, item: Item, version_form: VersionForm | None = None) -> HttpResponse:
    context = {
        "programme": item.programme,
        "item": item,
        "body": markdown.render(item.body) if item.form == Form.PAGE else "",
        "versions": item.versions.select_related("added_by"),
        "may_change": access.may_change(request.user, item) and item.kind != Kind.DELIVERABLE,
        "may_edit": access.may_change(request.user, item),
        "version_form": version_form or VersionForm(),
        "themes": item.themes.all(),
        "event_types": item.event_types.all(),
    }
    return render(request, ITEM_PAGE, context, status=400 if version_form is not None else 200)


@login_required
@require_safe
def item_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, access.get_item_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_library_for_user(request.user, slug)
    access.require_adder(request.user, programme)
    posted = request.method == "POST"
    form = ItemForm(
        request.POST if posted else None, request.FILES if posted else None, programme=programme, person=request.user
    )
    if posted and form.is_valid():
        try:
            item = actions.add_item(
                item=form.save(commit=False),
                themes=form.cleaned_data["themes"],
                event_types=form.cleaned_data["event_types"],
                upload=form.cleaned_data.get("upload"),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None if hasattr(error, "error_dict") else "upload", error)
        else:
            messages.success(request, _("Shared in the toolbox."))
            return redirect(item)
    status = 400 if form.errors else 200
    return render(request, ADD_PAGE, {"programme": programme, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk, write=True)
    posted = request.method == "POST"
    form = ItemForm(request.POST if posted else None, instance=item, programme=item.programme, person=request.user)
    if posted and form.is_valid():
        try:
            actions.change_item(
                item=form.save(commit=False),
                themes=form.cleaned_data["themes"],
                event_types=form.cleaned_data["event_types"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item is saved."))
            return redirect(item)
    context = {"programme": item.programme, "form": form, "item": item}
    return render(request, EDIT_PAGE, context, status=400 if form.errors else 200)


@login_required
@require_POST
def item_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk, write=True)
    slug = item.programme.slug
    actions.remove_item(item=item, by=request.user)
    messages.success(request, _("The item is removed from the toolbox."))
    return redirect("library:library", slug=slug)


@login_required
@require_POST
def version_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request.user, pk, write=True)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = actions.add_version(
                item=item, upload=form.cleaned_data["upload"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            form.add_error("upload", error)
        else:
            messages.success(request, _("Version %(number)s added.") % {"number": version.number})
            return redirect(item)
    return _item_page(request, item, version_form=form)


@login_required
@require_safe
def version_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    version = access.get_version_for_user(request.user, pk)
    return FileResponse(version.document.open("rb"), as_attachment=True, filename=version.original_name)


@login_required
@require_POST
def deliverable_offer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A city's team shares an accepted version of a deliverable with everyone taking part."""
    submission = get_submission_for_user(request.user, pk)
    if not access.may_offer(request.user, submission):
        raise PermissionDenied
    try:
        item = actions.offer_deliverable(submission=submission, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("journey:milestone", pk=submission.city_id, milestone_pk=submission.milestone_id)
    messages.success(request, _("The deliverable is in the toolbox for everyone taking part."))
    return redirect(item)
