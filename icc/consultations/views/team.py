"""The city team's pages: its consultations, building a draft, running it, its results
and the moderation of free-text answers. Every write is its own POST."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.models import City
from icc.consultations import access, actions, languages, results, structure
from icc.consultations.clock import city_zone
from icc.consultations.forms import ClosingForm, CreateForm, QuestionForm, SettingsForm
from icc.consultations.models import Consultation, Phase, Question, Submission
from icc.consultations.page import answer_form
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.public.models import Publication

LIST_PAGE = "consultations/team/list.html"
MANAGE_PAGE = "consultations/team/manage.html"
QUESTION_PAGE = "consultations/team/question.html"
RESULTS_PAGE = "consultations/team/results.html"


def _to_manage(consultation: Consultation) -> HttpResponse:
    return redirect("consultations:manage", pk=consultation.pk)


def _error_words(error: ValidationError) -> str:
    return " ".join(error.messages)


def _attach(form: Any, error: ValidationError, default: str) -> None:
    """An action's error on the form: on the field it names, the choices of the default
    language for ``choices``, or the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = f"choices__{default}" if name == "choices" else name
        form.add_error(target if target in form.fields else None, errors)


def _refuse_unless_draft(request: AuthedHttpRequest, consultation: Consultation) -> HttpResponse | None:
    if consultation.is_draft:
        return None
    messages.error(request, _("The consultation is open: its questions and settings no longer change."))
    return _to_manage(consultation)


def _list_context(city: City, form: CreateForm | None = None) -> dict[str, Any]:
    now = timezone.now()
    consultations = list(Consultation.objects.filter(city=city))
    return {
        "city": city,
        "rows": [(c, c.phase(now)) for c in consultations],
        "form": form or CreateForm(),
        "written": languages.of_city(city),
        "zone": city_zone(city).key,
    }


@login_required
@require_safe
def city_consultations(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_city_for_team(request.user, pk)
    return render_page(request, LIST_PAGE, _list_context(city))


@login_required
@require_POST
def consultation_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_city_for_team(request.user, pk)
    form = CreateForm(request.POST)
    if form.is_valid():
        written = languages.of_city(city)
        title = form.cleaned_data["title"].strip()
        try:
            consultation = actions.create_consultation(
                city=city,
                start=form.cleaned_data["start"],
                title={written.default: title} if title else {},
                languages=written.languages,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The draft is ready: add or change its questions, set its dates, then open it.")
            )
            return _to_manage(consultation)
    return render_page(request, LIST_PAGE, _list_context(city, form), fragment="create-form")


def _settings_form(consultation: Consultation, written: languages.Written, data: Any = None) -> SettingsForm:
    return SettingsForm(
        data,
        languages=written.languages,
        default=written.default,
        initial_texts={"title": consultation.title, "introduction": consultation.introduction},
        initial={
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "needs_confirmation": consultation.needs_confirmation,
            "personal_data_until": consultation.personal_data_until,
        },
    )


def _question_form(
    consultation: Consultation, written: languages.Written, shape: structure.Structure, data: Any = None, **kwargs: Any
) -> QuestionForm:
    return QuestionForm(data, languages=written.languages, default=written.default, structure=shape, **kwargs)


def _manage_context(
    request: AuthedHttpRequest,
    consultation: Consultation,
    *,
    settings_form: SettingsForm | None = None,
    question_form: QuestionForm | None = None,
    closing_form: ClosingForm | None = None,
    open_problems: list[str] | None = None,
) -> dict[str, Any]:
    city = consultation.city
    written = languages.of_city(city)
    shape = structure.read(consultation)
    phase = consultation.phase()
    publication = Publication.objects.filter(city=city).select_related("programme").first()
    draft = consultation.is_draft
    return {
        "city": city,
        "consultation": consultation,
        "phase": phase,
        "written": written,
        "zone": city_zone(city).key,
        "questions": answer_form(shape, None, written.default),
        "settings_form": settings_form or (_settings_form(consultation, written) if draft else None),
        "question_form": question_form or (_question_form(consultation, written, shape) if draft else None),
        "closing_form": closing_form
        or (
            ClosingForm(initial={"closes_at": consultation.closes_at})
            if phase in (Phase.OPEN, Phase.SCHEDULED)
            else None
        ),
        "problems": open_problems
        if open_problems is not None
        else (actions.readiness(consultation, written.default) if draft else []),
        "publication": publication,
        "submissions": Submission.objects.filter(consultation=consultation, confirmed=True).count(),
        "waiting": Submission.objects.filter(consultation=consultation, confirmed=False).count(),
    }


@login_required
@require_safe
def manage(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    return render_page(request, MANAGE_PAGE, _manage_context(request, consultation))


@login_required
@require_POST
def settings_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    refused = _refuse_unless_draft(request, consultation)
    if refused:
        return refused
    written = languages.of_city(consultation.city)
    form = _settings_form(consultation, written, request.POST)
    with timezone.override(city_zone(consultation.city)):
        valid = form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            actions.save_settings(
                consultation=consultation,
                title=data["title"],
                introduction=data["introduction"],
                opens_at=data.get("opens_at"),
                closes_at=data.get("closes_at"),
                needs_confirmation=bool(data.get("needs_confirmation")),
                personal_data_until=data.get("personal_data_until"),
                by=request.user,
            )
        except ValidationError as error:
            _attach(form, error, written.default)
        else:
            messages.success(request, _("Settings saved."))
            return _to_manage(consultation)
    context = _manage_context(request, consultation, settings_form=form)
    return render_page(request, MANAGE_PAGE, context, fragment="settings-form")


@login_required
@require_POST
def question_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    refused = _refuse_unless_draft(request, consultation)
    if refused:
        return refused
    written = languages.of_city(consultation.city)
    form = _question_form(consultation, written, structure.read(consultation), request.POST)
    if form.is_valid():
        try:
            actions.add_question(consultation=consultation, data=form.question_data(), by=request.user)
        except ValidationError as error:
            _attach(form, error, written.default)
        else:
            messages.success(request, _("Question added."))
            return _to_manage(consultation)
    context = _manage_context(request, consultation, question_form=form)
    return render_page(request, MANAGE_PAGE, context, fragment="question-form")


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A page that is only the question's form."""
    question = access.get_question_for_user(request.user, pk)
    consultation = question.consultation
    written = languages.of_city(consultation.city)
    shape = structure.read(consultation)
    form = _question_form(consultation, written, shape, request.POST or None, question=question)
    if request.method == "POST" and consultation.is_draft and form.is_valid():
        try:
            actions.change_question(question=question, data=form.question_data(), by=request.user)
        except ValidationError as error:
            _attach(form, error, written.default)
        else:
            messages.success(request, _("Question saved."))
            return _to_manage(consultation)
    context = {
        "city": consultation.city,
        "consultation": consultation,
        "question": question,
        "info": shape.question(question.pk),
        "form": form,
        "written": written,
        "locked": not consultation.is_draft,
    }
    return render_page(request, QUESTION_PAGE, context, fragment="question-form")


def _question_step(request: AuthedHttpRequest, question: Question, step: Any, done: str) -> HttpResponse:
    try:
        step()
    except ValidationError as error:
        messages.error(request, _error_words(error))
    else:
        messages.success(request, done)
    return _to_manage(question.consultation)


@login_required
@require_POST
def question_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    question = access.get_question_for_user(request.user, pk)
    up = request.POST.get("direction") != "down"
    return _question_step(
        request,
        question,
        lambda: actions.move_question(question=question, up=up, by=request.user),
        _("Question moved."),
    )


@login_required
@require_POST
def question_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    question = access.get_question_for_user(request.user, pk)
    return _question_step(
        request, question, lambda: actions.remove_question(question=question, by=request.user), _("Question removed.")
    )


@login_required
@require_POST
def consultation_open(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    written = languages.of_city(consultation.city)
    try:
        actions.open_consultation(consultation=consultation, default_language=written.default, by=request.user)
    except ValidationError as error:
        messages.error(request, _("The consultation cannot open yet."))
        context = _manage_context(request, consultation, open_problems=error.messages)
        return render_page(request, MANAGE_PAGE, context, fragment="open-form")
    messages.success(request, _("The consultation is open."))
    return _to_manage(consultation)


def _consultation_verb(
    request: AuthedHttpRequest, pk: int, act: Callable[..., Consultation], done: str
) -> HttpResponse:
    """A button on the management page: the action, then the page again with what happened."""
    consultation = access.get_consultation_for_user(request.user, pk)
    try:
        act(consultation=consultation, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_words(error))
    else:
        messages.success(request, done)
    return _to_manage(consultation)


@login_required
@require_POST
def consultation_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    done = _("The consultation is closed: it takes no more answers.")
    return _consultation_verb(request, pk, actions.close_consultation, done)


@login_required
@require_POST
def closing_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    form = ClosingForm(request.POST)
    with timezone.override(city_zone(consultation.city)):
        valid = form.is_valid()
    if valid:
        try:
            actions.move_closing(consultation=consultation, closes_at=form.cleaned_data["closes_at"], by=request.user)
        except ValidationError as error:
            _attach(form, error, "")
        else:
            messages.success(request, _("The closing is moved."))
            return _to_manage(consultation)
    context = _manage_context(request, consultation, closing_form=form)
    return render_page(request, MANAGE_PAGE, context, fragment="closing-form")


@login_required
@require_POST
def results_publish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _consultation_verb(request, pk, actions.publish_results, _("The results are published."))


@login_required
@require_POST
def results_unpublish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    actions.unpublish_results(consultation=consultation, by=request.user)
    messages.success(request, _("The results are no longer published."))
    return _to_manage(consultation)


@login_required
@require_POST
def consultation_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    try:
        actions.remove_consultation(consultation=consultation, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_words(error))
        return _to_manage(consultation)
    messages.success(request, _("The draft is removed."))
    return redirect("consultations:city", pk=consultation.city.pk)


@login_required
@require_safe
def team_results(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    shape = structure.read(consultation)
    written = languages.of_city(consultation.city)
    context = {
        "city": consultation.city,
        "consultation": consultation,
        "phase": consultation.phase(),
        "results": results.compute(consultation, shape, team=True),
        "default": written.default,
    }
    return render_page(request, RESULTS_PAGE, context)


def _moderate(request: AuthedHttpRequest, pk: int, *, show: bool) -> HttpResponse:
    answer = access.get_answer_to_moderate(request.user, pk)
    actions.moderate(answer=answer, show=show, by=request.user)
    messages.success(request, _("The answer is shown in the results.") if show else _("The answer is hidden."))
    return redirect(f"{_results_url(answer.question.consultation)}#question-{answer.question_id}")


def _results_url(consultation: Consultation) -> str:
    from django.urls import reverse

    return reverse("consultations:results", kwargs={"pk": consultation.pk})


@login_required
@require_POST
def answer_show(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _moderate(request, pk, show=True)


@login_required
@require_POST
def answer_hide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _moderate(request, pk, show=False)
