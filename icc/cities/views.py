from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from icc.accounts.models import Person
from icc.cities import actions, imports
from icc.cities.access import (
    can_edit_city,
    get_city_for_user,
    get_organisation_for_user,
    get_programme_for_user,
    is_programme_team,
)
from icc.cities.forms import CityForm, ImportForm, InviteForm, OrganisationForm, PersonForm, RoleForm
from icc.cities.models import Role, RoleKind
from icc.core.models import AuditEntry
from icc.core.pagination import paginate, query_without_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.programmes.models import Programme

TEAM_ORDER = [RoleKind.MAYOR, RoleKind.CITY_REP, RoleKind.MENTOR_REP, RoleKind.LEAD_EXPERT]


@login_required
def city_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
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
    expected = city.programme.phase_on(timezone.localdate())
    context = {
        "city": city,
        "editable": editable,
        "is_team": is_programme_team(request.user, city.programme),
        "team": team,
        "thematic_experts": thematic_experts,
        "organisations": organisations,
        "unaffiliated_stakeholders": stakeholders_by_org.get(None, []),
        "networks": list(city.networks.all()),
        "secondary_themes": list(city.secondary_themes.all()),
        "status": city.phase_status(timezone.localdate(), expected),
        "expected_phase": expected,
        "last_change": AuditEntry.objects.for_object(city).select_related("actor").first(),
    }
    return render(request, "cities/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def city_create(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    form = CityForm(request.POST or None, programme=programme, manage=True)
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
    form = CityForm(request.POST or None, instance=city, programme=city.programme, manage=manage)
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
    form = OrganisationForm(request.POST or None, city=city)
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
    form = OrganisationForm(request.POST or None, instance=organisation, city=organisation.city)
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
def people(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
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
    programme = get_programme_for_user(request.user, slug, manage=True)
    form = InviteForm(request.POST or None, programme=programme)
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


def _person_in_programme(programme: Programme, pk: int) -> Person:
    person = Person.objects.filter(pk=pk, roles__programme=programme).distinct().first()
    if person is None:
        raise Http404
    return person


@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    person = _person_in_programme(programme, pk)
    person_form = PersonForm(request.POST if "save_person" in request.POST else None, instance=person)
    role_form = RoleForm(request.POST if "add_role" in request.POST else None, programme=programme)
    if request.method == "POST":
        if "save_person" in request.POST and person_form.is_valid():
            actions.update_person(
                person=person,
                full_name=person_form.cleaned_data["full_name"],
                email=person_form.cleaned_data["email"],
                by=request.user,
            )
            messages.success(request, _("Saved."))
            return redirect("cities:person", slug=slug, pk=pk)
        if "add_role" in request.POST and role_form.is_valid():
            data = role_form.cleaned_data
            spec = actions.RoleSpec(
                kind=RoleKind(data["kind"]), city=data["city"], theme=data["theme"], service=data["service"]
            )
            try:
                actions.assign_role(person=person, programme=programme, spec=spec, by=request.user)
            except ValidationError as error:
                role_form.add_error(None, error)
            else:
                messages.success(request, _("The role was added."))
                return redirect("cities:person", slug=slug, pk=pk)
        if "resend" in request.POST and not person.has_usable_password():
            replaces = actions.has_open_invitation(email=person.email)
            actions.invite_person(
                programme=programme, email=person.email, full_name=person.full_name, specs=[], by=request.user
            )
            sent = _REPLACED_INVITATION if replaces else _("An invitation was sent to %(email)s.")
            messages.success(request, sent % {"email": person.email})
            return redirect("cities:person", slug=slug, pk=pk)
    roles = person.roles.filter(programme=programme).select_related("city", "theme", "service", "organisation")
    history = AuditEntry.objects.for_object(person).select_related("actor")[:20]
    return render(
        request,
        "cities/person_detail.html",
        {
            "programme": programme,
            "person": person,
            "person_form": person_form,
            "role_form": role_form,
            "roles": roles,
            "history": history,
        },
    )


@login_required
@require_POST
def role_remove(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    role = Role.objects.filter(pk=pk, programme=programme).select_related("person").first()
    if role is None:
        raise Http404
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
    programme = get_programme_for_user(request.user, slug, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
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
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
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
