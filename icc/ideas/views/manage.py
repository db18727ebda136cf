"""The city team's pages: a city's calls for ideas and a new call, a call with its ideas to
moderate, and one small POST view per verb (open, close, open and close the vote, publish,
shortlist, decline, merge, link to a roadmap action)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.models import City
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import attempt
from icc.ideas import actions, listing
from icc.ideas.access import (
    default_language,
    find_city_action,
    find_merge_target,
    get_call_for_user,
    get_city_for_ideas,
    get_idea_for_user,
    written_languages,
)
from icc.ideas.forms import ActionLinkForm, CallForm, DeclineForm, MergeForm, action_choices, merge_targets
from icc.ideas.models import CallStatus, Idea, IdeaCall, IdeaState
from icc.public.models import Publication

CALLS_PAGE = "ideas/calls.html"
CALL_PAGE = "ideas/call.html"
EDIT_PAGE = "ideas/call_form.html"
PER_PAGE = 20


def _call_form(
    city: City, publication: Publication | None, data: Any = None, instance: IdeaCall | None = None
) -> CallForm:
    return CallForm(data, instance=instance, city=city, languages=written_languages(city, publication))


def _calls_page(
    request: AuthedHttpRequest, city: City, publication: Publication | None, *, form: CallForm | None = None
) -> HttpResponse:
    context = {
        "city": city,
        "publication": publication,
        "default_language": default_language(city, publication),
        "calls": IdeaCall.objects.filter(city=city)
        .select_related("cycle")
        .annotate(idea_count=Count("ideas"))
        .order_by("-opens_on", "-pk"),
        "form": form or _call_form(city, publication),
    }
    return render_page(request, CALLS_PAGE, context, fragment="call-form")


@login_required
@require_safe
def calls_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city, publication = get_city_for_ideas(request.user, pk)
    return _calls_page(request, city, publication)


@login_required
@require_POST
def call_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city, publication = get_city_for_ideas(request.user, pk)
    form = _call_form(city, publication, request.POST)
    if form.is_valid():
        call = form.save(commit=False)
        try:
            actions.add_call(city=city, call=call, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Call saved as a draft. Open it when it is ready."))
            return redirect(call)
    return _calls_page(request, city, publication, form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def call_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    call = get_call_for_user(request.user, pk)
    publication = Publication.objects.filter(city=call.city).first()
    form = _call_form(call.city, publication, request.POST if request.method == "POST" else None, instance=call)
    current = None
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        done = attempt(
            request,
            form,
            lambda: actions.change_call(call=edited, expected_version=form.expected_version, by=request.user),
        )
        if done.saved:
            messages.success(request, _("Call saved."))
            return redirect(call)
        current = done.current
    context = {"call": call, "city": call.city, "form": form, "current": current}
    return render_page(request, EDIT_PAGE, context, fragment="call-form")


# A call and its ideas ---------------------------------------------------------------


@dataclass
class Row:
    """An idea on the moderation page, with the forms that change it."""

    idea: Idea
    decline: DeclineForm
    merge: MergeForm
    link: ActionLinkForm


def _row(idea: Idea, targets: list[tuple[int, str]], choices: list[tuple[int, str]], **bound: Any) -> Row:
    prefix = f"i{idea.pk}"
    return Row(
        idea=idea,
        decline=bound.get("decline") or DeclineForm(prefix=prefix),
        merge=bound.get("merge") or MergeForm(prefix=prefix, idea=idea, targets=targets),
        link=bound.get("link") or ActionLinkForm(prefix=prefix, choices=choices, initial={"action": idea.action_id}),
    )


STATE_FILTERS = [IdeaState.PENDING, IdeaState.PUBLISHED, IdeaState.SHORTLISTED, IdeaState.MERGED, IdeaState.DECLINED]


def _call_page(
    request: AuthedHttpRequest, call: IdeaCall, *, bound: Idea | None = None, forms: dict[str, Any] | None = None
) -> HttpResponse:
    counts = listing.state_counts(call)
    wanted = request.GET.get("state", "")
    state = wanted if wanted in STATE_FILTERS else ""
    ideas = (
        Idea.objects.filter(call=call)
        .select_related("merged_into", "action")
        .annotate(vote_count=Count("votes"))
        .order_by("-created_at", "-pk")
    )
    if bound is not None:
        # The idea whose form was refused, alone, with its errors.
        ideas = ideas.filter(pk=bound.pk)
    elif state:
        ideas = ideas.filter(state=state)
    page = Paginator(ideas, PER_PAGE).get_page(request.GET.get("page"))
    targets, choices = merge_targets(call), action_choices(call.city)
    rows = [_row(idea, targets, choices, **(forms or {})) for idea in page]
    publication = Publication.objects.filter(city=call.city).first()
    context = {
        "call": call,
        "city": call.city,
        "publication": publication,
        "default_language": default_language(call.city, publication),
        "counts": counts,
        "total": sum(counts.values()),
        "filters": [(s, IdeaState(s).label, counts.get(s, 0)) for s in STATE_FILTERS],
        "state": state,
        "page": page,
        "rows": rows,
        "bound": bound,
        "can_open_vote": call.vote_closed_at is None and call.status in (CallStatus.OPEN, CallStatus.CLOSED),
    }
    return render_page(request, CALL_PAGE, context)


@login_required
@require_safe
def call_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _call_page(request, get_call_for_user(request.user, pk))


def _call_verb(request: AuthedHttpRequest, pk: int, act: Callable[..., IdeaCall], done: str) -> HttpResponseRedirect:
    call = get_call_for_user(request.user, pk)
    try:
        act(call=call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(call)


@login_required
@require_POST
def call_open(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _call_verb(request, pk, actions.open_call, _("The call is open: it shows on the city's public page."))


@login_required
@require_POST
def call_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _call_verb(request, pk, actions.close_call, _("The call is closed: it takes no more ideas."))


@login_required
@require_POST
def vote_open(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _call_verb(request, pk, actions.open_vote, _("The vote on the shortlist is open."))


@login_required
@require_POST
def vote_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _call_verb(request, pk, actions.close_vote, _("The vote is closed; its counts are now public."))


# Moderation -------------------------------------------------------------------------


def _back(idea: Idea) -> HttpResponseRedirect:
    return redirect(f"{idea.call.get_absolute_url()}?state={idea.state}#idea-{idea.pk}")


def _idea_verb(request: AuthedHttpRequest, pk: int, act: Callable[..., Idea], done: str) -> HttpResponseRedirect:
    idea = get_idea_for_user(request.user, pk)
    try:
        changed = act(idea=idea, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(idea)
    messages.success(request, done % {"number": idea.pk})
    return _back(changed)


@login_required
@require_POST
def idea_publish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _idea_verb(request, pk, actions.publish_idea, _("Idea No. %(number)s is published."))


@login_required
@require_POST
def idea_shortlist(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _idea_verb(request, pk, actions.shortlist_idea, _("Idea No. %(number)s is on the shortlist."))


@login_required
@require_POST
def idea_decline(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_user(request.user, pk)
    form = DeclineForm(request.POST, prefix=f"i{idea.pk}")
    if form.is_valid():
        try:
            changed = actions.decline_idea(idea=idea, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Idea No. %(number)s is declined.") % {"number": idea.pk})
            return _back(changed)
    return _call_page(request, idea.call, bound=idea, forms={"decline": form})


@login_required
@require_POST
def idea_merge(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_user(request.user, pk)
    form = MergeForm(request.POST, prefix=f"i{idea.pk}", idea=idea, targets=merge_targets(idea.call))
    if form.is_valid():
        into = find_merge_target(idea, form.cleaned_data["into"])
        try:
            changed = actions.merge_idea(idea=idea, into=into, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Idea No. %(number)s is merged into No. %(into)s.") % {"number": idea.pk, "into": into.pk}
            )
            return _back(changed)
    return _call_page(request, idea.call, bound=idea, forms={"merge": form})


@login_required
@require_POST
def idea_link(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_user(request.user, pk)
    form = ActionLinkForm(request.POST, prefix=f"i{idea.pk}", choices=action_choices(idea.call.city))
    if form.is_valid():
        action = find_city_action(idea, form.cleaned_data["action"])
        try:
            changed = actions.link_action(idea=idea, action=action, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if action is None:
                messages.success(
                    request, _("Idea No. %(number)s is no longer linked to an action.") % {"number": idea.pk}
                )
            else:
                messages.success(
                    request,
                    _("Idea No. %(number)s is linked to “%(action)s”.") % {"number": idea.pk, "action": action.title},
                )
            return _back(changed)
    return _call_page(request, idea.call, bound=idea, forms={"link": form})
