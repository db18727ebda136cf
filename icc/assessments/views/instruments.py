"""The programme team's instruments: the list, and the wording of a question."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from icc.assessments import access, actions
from icc.assessments.forms import QuestionEditForm
from icc.assessments.models import Instrument
from icc.cities.access import get_programme_for_user
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest

QUESTION_PAGE = "assessments/question_form.html"


@login_required
@require_safe
def instruments_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    items = Instrument.objects.filter(programme=programme).prefetch_related("sections__questions")
    return render(request, "assessments/instruments.html", {"programme": programme, "instruments": items})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The page is the form: it shows the question, and saves it when the form is sent."""
    writing = request.method == "POST"
    question = access.get_question_for_user(request.user, slug, pk, write=writing)
    form = QuestionEditForm(request.POST if writing else None, instance=question)
    if writing and form.is_valid():
        changes = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        actions.update_question(question=form.save(commit=False), changes=changes, by=request.user)
        messages.success(request, _("The question was saved."))
        return redirect("assessments:instruments", slug=slug)
    programme = question.section.instrument.programme
    context = {"programme": programme, "question": question, "form": form}
    return render_page(request, QUESTION_PAGE, context, fragment="question-form")
