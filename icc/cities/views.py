from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.accounts.models import Person
from icc.cities import actions, imports
from icc.cities.access import (
    can_edit_city,
    get_city_for_user,
    get_organisation_for_user,
    get_person_for_user,
    get_role_for_user,
)
from icc.cities.forms import CityForm, ImportForm, InviteForm, OrganisationForm, PersonForm, RoleForm
from icc.cities.models import City, Role, RoleKind
from icc.cities.roles import is_lead_expert_of
from icc.core import dataversion
from icc.core.formatting import format_number
from icc.core.models import AuditEntry
from icc.core.pagination import paginate, query_without_page
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.ecosystem import access as ecosystem_access
from icc.programmes.access import get_programme_for_user, is_programme_team
from icc.programmes.models import Programme


def _posted(request: AuthedHttpRequest) -> QueryDict | None:
    """What the form of a page that also saves is bound to: the POST, even an empty one, or nothing."""
    return request.POST if request.method == "POST" else None


TEAM_ORDER = [RoleKind.MAYOR, RoleKind.CITY_REP, RoleKind.MENTOR_REP, RoleKind.LEAD_EXPERT]


@login_required
@require_safe
def city_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    today = timezone.localdate()
    content = dataversion.cached(
        dataversion.page_key(request, "city", city.pk, today),
        dataversion.current(request),
        lambda: render_to_string("cities/_detail_content.html", _city_context(request, city, today)),
    )
    return render(request, "cities/detail.html", {"city": city, "content": content})


def _city_context(request: AuthedHttpRequest, city: City, today: dt.date) -> dict[str, Any]:
    editable = can_edit_city(request.user, city)
    roles = list(city.roles.select_related("person", "organisation").order_by("person__full_name"))
    team = sorted(
        (r for r in roles if r.kind in TEAM_ORDER),
        key=lambda r: (TEAM_ORDER.index(RoleKind(r.kind)), r.person.full_name),
    )
    stakeholders_by_org: dict[int | None, list[Role]] = {}
    for role in roles:
        if role.kind == RoleKind.STAKEHOLDER:
            stakeholders_by_org.setdefault(role.organisation_id, []).append(role)
    organisations = [(org, stakeholders_by_org.get(org.pk, [])) for org in city.organisations.all()]
    thematic_experts = (
        list(Role.objects.filter(theme=city.track, kind=RoleKind.THEMATIC_EXPERT).select_related("person"))
        if city.track_id
        else []
    )
    expected = city.programme.phase_on(today)
    return {
        "city": city,
        "editable": editable,
        "is_team": is_programme_team(request.user, city.programme),
        "may_open_ecosystem": ecosystem_access.may_view_ecosystem(request.user, city),
        "follows_risk": is_programme_team(request.user, city.programme) or is_lead_expert_of(request.user, city),
        "team": team,
        "thematic_experts": thematic_experts,
        "organisations": organisations,
        "unaffiliated_stakeholders": stakeholders_by_org.get(None, []),
        "networks": list(city.networks.all()),
        "secondary_themes": list(city.secondary_themes.all()),
        "status": city.phase_status(today, expected),
        "expected_phase": expected,
        "last_change": AuditEntry.objects.for_object(city).select_related("actor").first(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def city_create(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    form = CityForm(_posted(request), programme=programme, manage=True)
    if request.method == "POST" and form.is_valid():
        city = form.save(commit=False)
        actions.save_city(
            city=city,
            changed=form.changed_data,
            by=request.user,
            source=_("entered in the app"),
            save_m2m=form.save_m2m,
        )
        messages.success(request, _("%(city)s was added.") % {"city": city})
        return redirect(city)
    return render(request, "cities/city_form.html", {"form": form, "programme": programme, "city": None})


@login_required
@require_http_methods(["GET", "POST"])
def city_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk, write=True)
    manage = is_programme_team(request.user, city.programme)
    form = CityForm(_posted(request), instance=city, programme=city.programme, manage=manage)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_city(
                city=form.save(commit=False),
                changed=form.changed_data,
                by=request.user,
                source=_("entered in the app"),
                save_m2m=form.save_m2m,
                expected_version=form.expected_version,
            )
        except StaleEdit as stale:
            current = refuse_stale(request, stale, form)
        else:
            messages.success(request, _("The profile of %(city)s was saved.") % {"city": city})
            return redirect(city)
    return render(
        request,
        "cities/city_form.html",
        {"form": form, "programme": city.programme, "city": city, "manage": manage, "current": current},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk, write=True)
    form = OrganisationForm(_posted(request), city=city)
    if request.method == "POST" and form.is_valid():
        organisation = actions.add_organisation(
            city=city,
            name=form.cleaned_data["name"],
            sector=form.cleaned_data["sector"],
            website=form.cleaned_data["website"],
            by=request.user,
        )
        messages.success(request, _("%(organisation)s was added.") % {"organisation": organisation})
        return redirect(city)
    return render(request, "cities/organisation_form.html", {"form": form, "city": city, "organisation": None})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, pk, write=True)
    form = OrganisationForm(_posted(request), instance=organisation, city=organisation.city)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_organisation(
                organisation=form.save(commit=False),
                changed=form.changed_data,
                expected_version=form.expected_version,
                by=request.user,
            )
        except StaleEdit as stale:
            current = refuse_stale(request, stale, form)
        else:
            messages.success(request, _("%(organisation)s was saved.") % {"organisation": organisation})
            return redirect(organisation.city)
    return render(
        request,
        "cities/organisation_form.html",
        {"form": form, "city": organisation.city, "organisation": organisation, "current": current},
    )


# People and roles (programme team) ----------------------------------------------------


@login_required
@require_safe
def people(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("role", "")
    roles = Role.objects.filter(programme=programme).select_related("city", "theme", "service", "organisation")
    if kind in RoleKind.values:
        roles = roles.filter(kind=kind)
    elif kind:
        messages.warning(request, _("Unknown role “%(role)s” ignored.") % {"role": kind[:40]})
    persons = (
        Person.objects.filter(pk__in=roles.values("person"))
        .prefetch_related(Prefetch("roles", queryset=roles.order_by("kind"), to_attr="programme_roles"))
        .order_by("full_name", "email")
    )
    if query:
        persons = persons.filter(full_name__icontains=query) | persons.filter(email__icontains=query)
    page = paginate(request, persons)
    return render(
        request,
        "cities/people.html",
        {
            "programme": programme,
            "page": page,
            "q": query,
            "role": kind,
            "role_choices": RoleKind.choices,
            "query": query_without_page(request),
        },
    )


# A second invitation to the same address replaces the first: the earlier link stops working.
_REPLACED_INVITATION = gettext_lazy(
    "A new invitation was sent to %(email)s. It replaces the earlier one: the link in the earlier e-mail no "
    "longer works."
)


@login_required
@require_http_methods(["GET", "POST"])
def person_invite(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    form = InviteForm(_posted(request), programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = actions.RoleSpec(
            kind=RoleKind(data["kind"]), city=data["city"], theme=data["theme"], service=data["service"]
        )
        replaces = actions.has_open_invitation(email=data["email"])
        try:
            person = actions.invite_person(
                programme=programme, email=data["email"], full_name=data["full_name"], specs=[spec], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if person.has_usable_password():
                messages.success(
                    request, _("%(person)s already has an account; the role was added.") % {"person": person}
                )
            elif replaces:
                messages.success(request, _REPLACED_INVITATION % {"email": person.email})
            else:
                messages.success(request, _("An invitation was sent to %(email)s.") % {"email": person.email})
            return redirect("cities:person", slug=programme.slug, pk=person.pk)
    return render(request, "cities/person_invite.html", {"form": form, "programme": programme})


PERSON_PAGE = "cities/person_detail.html"


def _person_page(
    request: AuthedHttpRequest,
    programme: Programme,
    person: Person,
    *,
    person_form: PersonForm | None = None,
    role_form: RoleForm | None = None,
    fragment: str | None = None,
) -> HttpResponse:
    roles = person.roles.filter(programme=programme).select_related("city", "theme", "service", "organisation")
    context = {
        "programme": programme,
        "person": person,
        "person_form": person_form or PersonForm(instance=person),
        "role_form": role_form or RoleForm(programme=programme),
        "roles": roles,
        "history": AuditEntry.objects.for_object(person).select_related("actor")[:20],
    }
    return render_page(request, PERSON_PAGE, context, fragment=fragment)


@login_required
@require_safe
def person_detail(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    return _person_page(request, programme, get_person_for_user(request.user, programme, pk))


@login_required
@require_POST
def person_update(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    person = get_person_for_user(request.user, programme, pk)
    form = PersonForm(request.POST, instance=person)
    if not form.is_valid():
        return _person_page(request, programme, person, person_form=form, fragment="person-form")
    actions.update_person(
        person=person, full_name=form.cleaned_data["full_name"], email=form.cleaned_data["email"], by=request.user
    )
    messages.success(request, _("Saved."))
    return redirect("cities:person", slug=slug, pk=pk)


@login_required
@require_POST
def role_add(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    person = get_person_for_user(request.user, programme, pk)
    form = RoleForm(request.POST, programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        spec = actions.RoleSpec(
            kind=RoleKind(data["kind"]), city=data["city"], theme=data["theme"], service=data["service"]
        )
        try:
            actions.assign_role(person=person, programme=programme, spec=spec, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _person_page(request, programme, person, role_form=form, fragment="role-form")
    messages.success(request, _("The role was added."))
    return redirect("cities:person", slug=slug, pk=pk)


@login_required
@require_POST
def invitation_resend(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    person = get_person_for_user(request.user, programme, pk)
    if person.has_usable_password():
        messages.info(request, _("%(person)s already has an account.") % {"person": person})
    else:
        replaces = actions.resend_invitation(programme=programme, person=person, by=request.user)
        sent = _REPLACED_INVITATION if replaces else _("An invitation was sent to %(email)s.")
        messages.success(request, sent % {"email": person.email})
    return redirect("cities:person", slug=slug, pk=pk)


@login_required
@require_POST
def role_remove(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    role = get_role_for_user(request.user, programme, pk)
    person = role.person
    actions.remove_role(role=role, by=request.user)
    messages.success(request, _("The role was removed."))
    if person.roles.filter(programme=programme).exists():
        return redirect("cities:person", slug=slug, pk=person.pk)
    return redirect("cities:people", slug=slug)


# CSV import ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        source = _("CSV import “%(file)s”") % {"file": upload.name[:120]}
        too_large = imports.size_error(upload.size)
        if too_large is not None:
            result = imports.ImportResult(errors=[too_large])
        elif form.cleaned_data["kind"] == "cities":
            result = imports.import_cities(programme=programme, data=upload.read(), by=request.user, source=source)
        else:
            result = imports.import_people(
                programme=programme,
                data=upload.read(),
                by=request.user,
                source=source,
                invite=form.cleaned_data["invite"],
            )
        if result.ok:
            messages.success(
                request,
                _("Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {
                    "created": format_number(result.created),
                    "updated": format_number(result.updated),
                    "unchanged": format_number(result.unchanged),
                },
            )
            return redirect("cities:import", slug=slug)
    return render(
        request,
        "cities/import.html",
        {
            "form": form,
            "programme": programme,
            "result": result,
            "city_columns": (imports.CITY_REQUIRED, imports.CITY_OPTIONAL),
            "people_columns": (imports.PEOPLE_REQUIRED, imports.PEOPLE_OPTIONAL),
            "limit_mb": settings.ICC_MAX_IMPORT_BYTES // 1_048_576,
        },
    )
