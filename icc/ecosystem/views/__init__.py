"""The ecosystem's pages: the stakeholder map, one stakeholder, the interviews, one
interview, the edition's interview guide, and one small view per write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.models import City, Organisation
from icc.core.exports import csv_response
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import attempt
from icc.ecosystem import access, actions, mapping, reading, vocabulary
from icc.ecosystem.forms import ContactForm, GuideForm, InsightForm, InterviewForm, NoteForm, StakeholderForm
from icc.ecosystem.models import Interview, InterviewGuide, Stakeholder
from icc.programmes.models import Programme

MAP_PAGE = "ecosystem/map.html"
STAKEHOLDER_PAGE = "ecosystem/stakeholder.html"
INTERVIEWS_PAGE = "ecosystem/interviews.html"
INTERVIEW_PAGE = "ecosystem/interview.html"
INTERVIEW_FORM = "ecosystem/interview_form.html"
GUIDE_PAGE = "ecosystem/guide.html"


def _status(form: Any) -> int:
    return 400 if form is not None and form.errors else 200


def _grid_words(city: City, count: int) -> dict[str, str]:
    return {
        "title": _("Influence and interest of %(city)s's organisations") % {"city": city.name},
        "desc": _(
            "%(count)s organisations placed by interest (across, 1 to 5) and influence (up, 1 to 5); each is "
            "drawn as its number in the table below, in a square for a champion and a circle otherwise."
        )
        % {"count": count},
        "influence": _("Influence"),
        "interest": _("Interest"),
        "manage": _("Manage closely"),
        "satisfy": _("Keep satisfied"),
        "inform": _("Keep informed"),
        "monitor": _("Monitor"),
        "champion": _("champion"),
    }


QUADRANTS = {
    "manage": _("Manage closely"),
    "satisfy": _("Keep satisfied"),
    "inform": _("Keep informed"),
    "monitor": _("Monitor"),
}


@login_required
@require_safe
def stakeholder_map(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_city_for_user(request.user, pk)
    rows = []
    points = []
    for number, organisation in enumerate(reading.organisations(city), start=1):
        mapped = reading.profile(organisation)
        quadrant = mapping.quadrant(mapped.influence, mapped.interest) if mapped else None
        rows.append(
            {
                "number": number,
                "organisation": organisation,
                "mapped": mapped,
                "quadrant": str(QUADRANTS[quadrant]) if quadrant else "",
            }
        )
        if mapped is not None:
            points.append(mapping.Placed(number, organisation.name, mapped.influence, mapped.interest, mapped.champion))
    organisations = [row["organisation"] for row in rows]
    context = {
        "city": city,
        "rows": rows,
        "grid": mapping.grid_svg(points, words=_grid_words(city, len(points))) if points else "",
        "gaps": reading.gaps(organisations),
        "editable": access.may_edit_ecosystem(request.user, city),
    }
    return render(request, MAP_PAGE, context)


def _stakeholder_page(
    request: AuthedHttpRequest,
    organisation: Organisation,
    *,
    form: StakeholderForm | None = None,
    contact_form: ContactForm | None = None,
    current: Any = None,
) -> HttpResponse:
    city = organisation.city
    editable = access.may_edit_ecosystem(request.user, city)
    mapped = reading.profile(organisation)
    if form is None and editable:
        form = StakeholderForm(instance=mapped or Stakeholder(organisation=organisation))
    context = {
        "city": city,
        "organisation": organisation,
        "mapped": mapped,
        "quadrant": QUADRANTS[mapping.quadrant(mapped.influence, mapped.interest)] if mapped else "",
        "contacts": organisation.contacts.order_by("name", "pk"),
        "interviews": reading.interviews(city).filter(organisation=organisation),
        "editable": editable,
        "form": form,
        "contact_form": contact_form or (ContactForm() if editable else None),
        "current": current,
    }
    status = 400 if (form is not None and form.errors) or (contact_form is not None and contact_form.errors) else 200
    return render(request, STAKEHOLDER_PAGE, context, status=status)


@login_required
@require_safe
def stakeholder(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _stakeholder_page(request, access.get_stakeholder_for_user(request.user, pk))


@login_required
@require_POST
def stakeholder_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_stakeholder_for_user(request.user, pk, write=True)
    mapped = reading.profile(organisation) or Stakeholder(organisation=organisation)
    form = StakeholderForm(request.POST, instance=mapped)
    if form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.save_stakeholder(
                stakeholder=form.save(commit=False), expected=form.expected_version, by=request.user
            ),
        )
        if done.saved:
            messages.success(request, _("The mapping of %(name)s is saved.") % {"name": organisation.name})
            return redirect("ecosystem:stakeholder", pk=organisation.pk)
        if done.current is not None:
            return _stakeholder_page(request, organisation, form=form, current=done.current)
    return _stakeholder_page(request, organisation, form=form)


@login_required
@require_POST
def contact_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    organisation = access.get_stakeholder_for_user(request.user, pk, write=True)
    form = ContactForm(request.POST)
    if form.is_valid():
        contact = actions.add_contact(contact=form.save(commit=False), organisation=organisation, by=request.user)
        messages.success(request, _("%(name)s is added.") % {"name": contact.name})
        return redirect("ecosystem:stakeholder", pk=organisation.pk)
    return _stakeholder_page(request, organisation, contact_form=form)


@login_required
@require_POST
def contact_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contact = access.get_contact_for_user(request.user, pk, write=True)
    organisation_id = contact.organisation_id
    actions.remove_contact(contact=contact, by=request.user)
    messages.success(request, _("The contact is removed."))
    return redirect("ecosystem:stakeholder", pk=organisation_id)


def guide_for(programme: Programme) -> dict[str, Any]:
    """The edition's interview guide, or the default questions until its programme team writes one."""
    guide = InterviewGuide.objects.filter(programme=programme).first()
    if guide is None:
        return {
            "introduction": str(vocabulary.DEFAULT_INTRODUCTION),
            "questions": [str(q) for q in vocabulary.DEFAULT_QUESTIONS],
            "default": True,
        }
    return {"introduction": guide.introduction, "questions": guide.question_list, "default": False}


def _interviews_page(request: AuthedHttpRequest, city: City, form: InterviewForm | None = None) -> HttpResponse:
    editable = access.may_edit_ecosystem(request.user, city)
    if form is None and editable:
        form = InterviewForm(city=city, initial={"organisation": request.GET.get("organisation")})
    context = {
        "city": city,
        "interviews": reading.interviews(city),
        "editable": editable,
        "form": form,
        "guide": guide_for(city.programme),
    }
    return render(request, INTERVIEWS_PAGE, context, status=_status(form))


@login_required
@require_safe
def interviews(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _interviews_page(request, access.get_city_for_user(request.user, pk))


@login_required
@require_POST
def interview_plan(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_city_for_user(request.user, pk, write=True)
    form = InterviewForm(request.POST, instance=Interview(city=city), city=city)
    if form.is_valid():
        interview = form.save(commit=False)
        done = attempt(
            request, form, lambda: actions.save_interview(interview=interview, expected=None, by=request.user)
        )
        if done.saved:
            messages.success(request, _("The interview is planned."))
            return redirect(interview)
    return _interviews_page(request, city, form)


@login_required
@require_safe
def interviews_csv(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The city's interviews with their summaries and insights; never a sensitive note."""
    city = access.get_city_for_user(request.user, pk)
    enablers = dict(vocabulary.enablers(city.programme_id))
    rows = []
    for interview in reading.interviews(city).prefetch_related("insights__theme"):
        insights = "; ".join(
            " · ".join(
                part for part in (i.text, enablers.get(i.enabler, i.enabler), i.theme.name if i.theme else "") if part
            )
            for i in interview.insights.all()
        )
        rows.append(
            [
                interview.organisation.name,
                interview.organisation.get_sector_display(),
                interview.contact.name if interview.contact else "",
                interview.interviewer.full_name or interview.interviewer.email,
                interview.planned_on.isoformat(),
                interview.held_on.isoformat() if interview.held_on else "",
                interview.get_status_display(),
                interview.summary,
                insights,
            ]
        )
    header = [
        _("Organisation"),
        _("Sector"),
        _("Interviewee"),
        _("Interviewer"),
        _("Planned for"),
        _("Held on"),
        _("Status"),
        _("Summary"),
        _("Insights"),
    ]
    return csv_response(f"interviews-{city.pk}.csv", header, rows)


def _interview_page(
    request: AuthedHttpRequest,
    interview: Interview,
    *,
    note_form: NoteForm | None = None,
    insight_form: InsightForm | None = None,
) -> HttpResponse:
    city = interview.city
    editable = access.may_edit_ecosystem(request.user, city)
    enablers = vocabulary.enablers(city.programme_id)
    notes = list(access.visible_notes(request.user, interview).select_related("author"))
    mine = next((n for n in notes if n.author_id == request.user.pk), None)
    if note_form is None and access.may_write_note(request.user, interview):
        note_form = NoteForm(initial={"text": mine.text if mine else ""})
    if insight_form is None and editable:
        insight_form = InsightForm(city=city, enablers=enablers)
    titles = dict(enablers)
    insights = list(interview.insights.select_related("theme"))
    for insight in insights:
        insight.enabler_title = titles.get(insight.enabler, insight.enabler)  # type: ignore[attr-defined]
    context = {
        "city": city,
        "interview": interview,
        "insights": insights,
        "others_notes": [n for n in notes if n.author_id != request.user.pk],
        "note_form": note_form,
        "insight_form": insight_form,
        "editable": editable,
        "guide": guide_for(city.programme),
    }
    bad = (note_form is not None and note_form.errors) or (insight_form is not None and insight_form.errors)
    return render(request, INTERVIEW_PAGE, context, status=400 if bad else 200)


@login_required
@require_safe
def interview(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _interview_page(request, access.get_interview_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    interview = access.get_interview_for_user(request.user, pk, write=True)
    city = interview.city
    posted = request.method == "POST"
    form = InterviewForm(request.POST if posted else None, instance=interview, city=city)
    current = None
    if posted and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.save_interview(
                interview=form.save(commit=False), expected=form.expected_version, by=request.user
            ),
        )
        if done.saved:
            messages.success(request, _("The interview is saved."))
            return redirect(interview)
        current = done.current
    context = {
        "city": city,
        "interview": interview,
        "form": form,
        "current": current,
        "guide": guide_for(city.programme),
    }
    return render(request, INTERVIEW_FORM, context, status=400 if form.errors else 200)


@login_required
@require_POST
def note_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    interview = access.get_interview_for_user(request.user, pk, write=True)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _interview_page(request, interview, note_form=form)
    note = actions.save_note(interview=interview, text=form.cleaned_data["text"], by=request.user)
    messages.success(request, _("Your sensitive note is saved.") if note else _("You have no note on this interview."))
    return redirect(interview)


@login_required
@require_POST
def insight_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    interview = access.get_interview_for_user(request.user, pk, write=True)
    form = InsightForm(request.POST, city=interview.city, enablers=vocabulary.enablers(interview.city.programme_id))
    if form.is_valid():
        actions.add_insight(insight=form.save(commit=False), interview=interview, by=request.user)
        messages.success(request, _("The insight is added."))
        return redirect(interview)
    return _interview_page(request, interview, insight_form=form)


@login_required
@require_POST
def insight_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    insight = access.get_insight_for_user(request.user, pk, write=True)
    interview = insight.interview
    actions.remove_insight(insight=insight, by=request.user)
    messages.success(request, _("The insight is removed."))
    return redirect(interview)


@login_required
@require_http_methods(["GET", "POST"])
def guide(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_guide_programme_for_user(request.user, slug)
    saved = InterviewGuide.objects.filter(programme=programme).first()
    defaults = guide_for(programme)
    instance = saved or InterviewGuide(programme=programme)
    posted = request.method == "POST"
    initial = {} if saved else {"introduction": defaults["introduction"], "questions": "\n".join(defaults["questions"])}
    form = GuideForm(request.POST if posted else None, instance=instance, initial=initial)
    current = None
    if posted and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.save_guide(guide=form.save(commit=False), expected=form.expected_version, by=request.user),
        )
        if done.saved:
            messages.success(request, _("The interview guide is saved."))
            return redirect("ecosystem:guide", slug=programme.slug)
        current = done.current
    context = {"programme": programme, "form": form, "current": current, "default": defaults["default"]}
    return render(request, GUIDE_PAGE, context, status=400 if form.errors else 200)
