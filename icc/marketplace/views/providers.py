"""A provider's own side of the marketplace: its record and logo, the people a city invited
to act for it (and their invitation link), the solutions they submit for it, and the
images of solutions, served only to whoever may see them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.accounts import actions as accounts
from icc.cities.models import City
from icc.cities.roles import is_programme_team
from icc.core.types import AuthedHttpRequest
from icc.core.uploads import UploadRefused
from icc.marketplace import access, actions
from icc.marketplace.actions import MAX_SCREENSHOTS
from icc.marketplace.forms import LogoForm, ProviderEditForm, ProviderInviteForm, ScreenshotForm, SolutionForm
from icc.marketplace.invitations import member_for_token
from icc.marketplace.models import Provider, ProviderLogo, ProviderMember, Solution, StoredImage

PROVIDER_FORM = "marketplace/provider_edit.html"
PEOPLE_PAGE = "marketplace/provider_people.html"
SOLUTION_FORM = "marketplace/provider_solution_form.html"
SCREENSHOTS_PAGE = "marketplace/screenshots.html"


# The record and its logo ----------------------------------------------------------------------


def _edit_page(
    request: AuthedHttpRequest,
    provider: Provider,
    *,
    form: ProviderEditForm | None = None,
    logo_form: LogoForm | None = None,
) -> HttpResponse:
    context = {
        "programme": provider.programme,
        "provider": provider,
        "form": form or ProviderEditForm(instance=provider),
        "logo_form": logo_form or LogoForm(),
        "logo": ProviderLogo.objects.filter(provider=provider).first(),
    }
    failed = (form is not None and form.errors) or (logo_form is not None and logo_form.errors)
    return render(request, PROVIDER_FORM, context, status=400 if failed else 200)


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    provider = access.get_provider_for_editing(request.user, pk)
    if request.method != "POST":
        return _edit_page(request, provider)
    form = ProviderEditForm(request.POST, instance=provider)
    if form.is_valid():
        try:
            actions.save_provider(provider=form.save(commit=False), changed=form.changed_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The provider's record is saved."))
            return redirect(provider)
    provider.refresh_from_db()
    return _edit_page(request, provider, form=form)


@login_required
@require_POST
def logo_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    provider = access.get_provider_for_editing(request.user, pk)
    form = LogoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.set_logo(provider=provider, upload=form.cleaned_data["image"], by=request.user)
        except ValidationError as error:
            form.add_error("image" if isinstance(error, UploadRefused) else None, error)
    if form.errors:
        return _edit_page(request, provider, logo_form=form)
    messages.success(request, _("The logo is saved."))
    return redirect("marketplace:provider_edit", pk=provider.pk)


@login_required
@require_POST
def logo_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    provider = access.get_provider_for_editing(request.user, pk)
    actions.remove_logo(provider=provider, by=request.user)
    messages.success(request, _("The logo is removed."))
    return redirect("marketplace:provider_edit", pk=provider.pk)


def _image_response(image: StoredImage) -> FileResponse:
    response = FileResponse(image.file.open("rb"), content_type=image.content_type)
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_safe
def logo_view(request: AuthedHttpRequest, pk: int) -> FileResponse:
    provider = access.get_provider_for_user(request.user, pk)
    logo = ProviderLogo.objects.filter(provider=provider).first()
    if logo is None:
        raise Http404
    return _image_response(logo)


# The people who act for a provider ------------------------------------------------------------


def _people_page(
    request: AuthedHttpRequest, provider: Provider, *, form: ProviderInviteForm | None = None
) -> HttpResponse:
    person = request.user
    programme = provider.programme
    invites = access.may_invite_for(person, provider)
    if not (invites or access.acts_for(person, provider) or is_programme_team(person, programme)):
        raise PermissionDenied
    team = is_programme_team(person, programme)
    members = list(ProviderMember.objects.filter(provider=provider).select_related("person", "city", "invited_by"))
    removable = {
        m.pk
        for m in members
        if team or (m.city_id is not None and m.city_id in access.team_city_ids(person, programme))
    }
    context = {
        "programme": programme,
        "provider": provider,
        "members": members,
        "removable": removable,
        "form": (form or _invite_form(request, provider)) if invites else None,
    }
    return render(request, PEOPLE_PAGE, context, status=400 if form is not None and form.errors else 200)


def _invite_form(request: AuthedHttpRequest, provider: Provider, data: Any = None) -> ProviderInviteForm:
    # The programme team invites in its own name; a city's team in its city's.
    programme = provider.programme
    team = is_programme_team(request.user, programme)
    cities = City.objects.none() if team else access.writable_cities(request.user, programme)
    return ProviderInviteForm(data, cities=cities)


@login_required
@require_safe
def provider_people(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _people_page(request, access.get_provider_for_user(request.user, pk))


@login_required
@require_POST
def provider_invite(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    provider = access.get_provider_for_user(request.user, pk)
    if not access.may_invite_for(request.user, provider):
        raise PermissionDenied
    form = _invite_form(request, provider, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = actions.invite_provider_person(
                provider=provider,
                email=data["email"],
                full_name=data["full_name"],
                city=data.get("city"),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(email)s may act for %(provider)s now; an e-mail tells them how to sign in.")
                % {"email": member.person.email, "provider": provider.name},
            )
            return redirect("marketplace:provider_people", pk=provider.pk)
    return _people_page(request, provider, form=form)


@login_required
@require_POST
def provider_person_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for_user(request.user, pk)
    actions.remove_provider_person(member=member, by=request.user)
    messages.success(
        request,
        _("%(name)s no longer acts for %(provider)s.")
        % {"name": member.person.full_name or member.person.email, "provider": member.provider.name},
    )
    return redirect("marketplace:provider_people", pk=member.provider_id)


@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def provider_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation of someone new: they choose a password and are signed in."""
    member = member_for_token(token)
    if member is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    person = member.person
    form = SetPasswordForm(person, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accounts.accept_invitation(person=person, password=form.cleaned_data["new_password1"])
        login(request, person, backend="icc.accounts.backends.PersonBackend")
        return redirect(member.provider)
    return render(request, "accounts/accept_invitation.html", {"form": form, "person": person})


# Solutions a provider's people submit ----------------------------------------------------------


def _solution_form(provider: Provider, data: Any = None, instance: Solution | None = None) -> SolutionForm:
    return SolutionForm(
        data,
        instance=instance,
        programme=provider.programme,
        providers=Provider.objects.filter(pk=provider.pk),
        initial={"provider": provider.pk},
    )


def _save_solution(request: AuthedHttpRequest, form: SolutionForm, provider: Provider) -> Solution | None:
    if not form.is_valid():
        return None
    solution = form.save(commit=False)
    solution.provider = provider  # whatever was posted
    solution.city = None
    try:
        return actions.save_solution(solution=solution, themes=form.cleaned_data["themes"], by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def provider_solution_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    provider = access.get_provider_for_user(request.user, pk)
    if not (access.acts_for(request.user, provider) or is_programme_team(request.user, provider.programme)):
        raise PermissionDenied
    form = _solution_form(provider, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        solution = _save_solution(request, form, provider)
        if solution is not None:
            messages.success(request, _("Saved as a draft. Submit it for review when it is complete."))
            return redirect(solution)
    context = {"programme": provider.programme, "form": form, "provider": provider}
    return render(request, SOLUTION_FORM, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def provider_solution_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    solution = access.get_provider_solution_for_user(request.user, pk)
    provider = solution.provider
    form = _solution_form(provider, request.POST if request.method == "POST" else None, instance=solution)
    if request.method == "POST":
        saved = _save_solution(request, form, provider)
        if saved is not None:
            messages.success(request, _("The solution is saved."))
            return redirect(saved)
    context = {"programme": provider.programme, "form": form, "provider": provider, "solution": solution}
    return render(request, SOLUTION_FORM, context, status=400 if form.errors else 200)


@login_required
@require_POST
def provider_solution_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    solution = access.get_provider_solution_for_user(request.user, pk)
    try:
        actions.submit(item=solution, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted: the reviewers will publish it or tell you what to change."))
    return redirect(solution)


# Screenshots ---------------------------------------------------------------------------------


def _screenshots_page(
    request: AuthedHttpRequest, solution: Solution, form: ScreenshotForm | None = None
) -> HttpResponse:
    context = {
        "programme": solution.programme,
        "solution": solution,
        "screenshots": solution.screenshots.all(),
        "form": form or ScreenshotForm(),
        "limit": MAX_SCREENSHOTS,
    }
    return render(request, SCREENSHOTS_PAGE, context, status=400 if form is not None and form.errors else 200)


def _screenshots_of(request: AuthedHttpRequest, pk: int) -> Solution:
    solution = access.get_solution_for_user(request.user, pk)
    if not access.may_add_screenshots(request.user, solution):
        raise PermissionDenied
    return solution


@login_required
@require_http_methods(["GET", "POST"])
def screenshots(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    solution = _screenshots_of(request, pk)
    if request.method != "POST":
        return _screenshots_page(request, solution)
    form = ScreenshotForm(request.POST, request.FILES)
    if form.is_valid():
        was_published = solution.is_published
        try:
            actions.add_screenshot(
                solution=solution,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("image" if isinstance(error, UploadRefused) else None, error)
        else:
            if was_published:
                messages.success(request, _("The screenshot is added; the solution goes back to review with it."))
            else:
                messages.success(request, _("The screenshot is added."))
            return redirect("marketplace:screenshots", pk=solution.pk)
    return _screenshots_page(request, solution, form)


@login_required
@require_safe
def screenshot_view(request: AuthedHttpRequest, pk: int) -> FileResponse:
    return _image_response(access.get_screenshot_for_user(request.user, pk))


@login_required
@require_POST
def screenshot_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    screenshot = access.get_screenshot_for_user(request.user, pk, write=True)
    solution_pk = screenshot.solution_id
    actions.remove_screenshot(screenshot=screenshot, by=request.user)
    messages.success(request, _("The screenshot is removed."))
    return redirect("marketplace:screenshots", pk=solution_pk)
