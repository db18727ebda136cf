"""The public pages of the ideas, under the city's published page and a language:
its calls, a call with its published ideas, the form to send one and the vote on the
shortlist, an idea's page, and the author's private page of their idea.

Every page works without JavaScript; a refused idea or vote is the page again (or the
call's page) with a sentence saying why, and nothing saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.ideas import actions, listing, wording
from icc.ideas.access import get_author_idea, get_public_call, get_public_idea
from icc.ideas.forms import IdeaForm
from icc.ideas.keys import author_path
from icc.ideas.models import CallStatus, Idea, IdeaCall, IdeaState, IdeaVote
from icc.public.access import get_public_city
from icc.public.models import Publication
from icc.public.participation import remember, visitor, visitor_or_new
from icc.public.translations import pick

PER_PAGE = 30
PUBLIC_SECONDS = 60


def _page_language() -> str:
    return translation.get_language() or "en"


def _cacheable(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A page without forms, to an anonymous visitor: shared caches may keep it a minute (the
    middleware makes it private again if the response sets a cookie)."""
    if not request.user.is_authenticated:
        response["Cache-Control"] = f"public, max-age={PUBLIC_SECONDS}"
    return response


def _base(publication: Publication) -> dict[str, Any]:
    return {"programme": publication.programme, "publication": publication, "page_language": _page_language()}


def _question(call: IdeaCall, publication: Publication) -> str:
    """The call's question as plain text (for the page's title), in the reader's language if written."""
    return pick(call.question, _page_language(), publication.default_language).text


@require_safe
def calls_view(request: HttpRequest, programme: str, city: str) -> HttpResponse:
    publication = get_public_city(programme, city)
    context = {**_base(publication), "calls": list(listing.public_calls(publication.city))}
    return _cacheable(request, render(request, "ideas/public/calls.html", context))


def _idea_form(call: IdeaCall, data: Any = None) -> IdeaForm:
    today = actions.city_today(call)
    language = _page_language()
    return IdeaForm(data, language=language, kept_until=actions.email_kept_until(call, today))


def _call_page(
    request: HttpRequest, publication: Publication, call: IdeaCall, *, form: IdeaForm | None = None, status: int = 200
) -> HttpResponse:
    today = actions.city_today(call)
    counts = listing.state_counts(call)
    results = call.results_public
    ideas = listing.listed_ideas(call, votes=results)
    page = Paginator(ideas, PER_PAGE).get_page(request.GET.get("page"))
    voting = call.takes_votes(today)
    browser = visitor(request)
    voted: set[int] = set()
    if browser and call.status in (CallStatus.VOTING, CallStatus.CLOSED):
        voted = set(
            IdeaVote.objects.filter(idea__call=call, participant=actions.voter_key(call, browser)).values_list(
                "idea_id", flat=True
            )
        )
    takes_ideas = call.takes_ideas(today)
    context = {
        **_base(publication),
        "call": call,
        "question_text": _question(call, publication),
        "status_words": wording.call_status(call),
        "ideas": page,
        "listed": counts.get(IdeaState.PUBLISHED, 0) + counts.get(IdeaState.SHORTLISTED, 0),
        "shortlisted": counts.get(IdeaState.SHORTLISTED, 0),
        "hidden": listing.hidden(counts),
        "results": results,
        "voting": voting,
        "voted": voted,
        "takes_ideas": takes_ideas,
        "not_yet": call.status == CallStatus.OPEN and today < call.opens_on,
        "form": (form or _idea_form(call)) if takes_ideas else None,
        "cycle_name": wording.cycle_name(call.cycle.number) if call.cycle else "",
    }
    return render(request, "ideas/public/call.html", context, status=status)


@require_safe
def call_view(request: HttpRequest, programme: str, city: str, call: int) -> HttpResponse:
    publication = get_public_city(programme, city)
    return _call_page(request, publication, get_public_call(publication, call))


@require_POST
def idea_send(request: HttpRequest, programme: str, city: str, call: int) -> HttpResponse:
    publication = get_public_city(programme, city)
    found = get_public_call(publication, call)
    if not found.takes_ideas(actions.city_today(found)):
        messages.error(request, _("This call does not take ideas any more; your idea was not saved."))
        return redirect("public:idea_call", programme=programme, city=city, call=found.pk)
    form = _idea_form(found, request.POST)
    if not form.is_valid():
        return _call_page(request, publication, found, form=form)
    data = form.cleaned_data
    try:
        idea = actions.send_idea(
            call=found,
            request=request,
            title=data["title"],
            text=data["text"],
            language=data["language"],
            email=data.get("email") or "",
            consent=bool(data.get("consent")),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _call_page(request, publication, found, form=form)
    messages.success(
        request,
        _(
            "Thank you: your idea is sent. The city reads it before it shows here. "
            "Keep the address of this page to see what happens to it."
        ),
    )
    return redirect(author_path(idea, publication.programme.slug, publication.slug))


@require_POST
def idea_vote(request: HttpRequest, programme: str, city: str, call: int, idea: int) -> HttpResponse:
    publication = get_public_city(programme, city)
    found_call = get_public_call(publication, call)
    found = get_public_idea(found_call, idea)
    browser = visitor_or_new(request)
    try:
        actions.vote_for_idea(idea=found, request=request, visitor=browser)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your vote for “%(title)s” is counted. Thank you.") % {"title": found.title})
    url = reverse("public:idea_call", kwargs={"programme": programme, "city": city, "call": found_call.pk})
    return remember(request, redirect(f"{url}#idea-{found.pk}"))


def _idea_context(publication: Publication, idea: Idea, *, private: bool) -> dict[str, Any]:
    call = idea.call
    target = idea.merged_into if idea.state == IdeaState.MERGED else None
    if target is not None and not target.is_public:
        target = None
    results = call.results_public and idea.state == IdeaState.SHORTLISTED
    return {
        **_base(publication),
        "call": call,
        "question_text": _question(call, publication),
        "idea": idea,
        "private": private,
        "state_words": wording.idea_state(idea.state),
        "target": target,
        "merged_count": Idea.objects.filter(merged_into=idea, state=IdeaState.MERGED).count(),
        "action_words": wording.action_status(idea.action.status) if idea.action else "",
        # The roadmap is written on the programme's pages, maybe in another language than the calls.
        "plan_language": getattr(publication, "plan_language", publication.default_language),
        "votes": idea.votes.count() if results else None,
    }


@require_safe
def idea_view(request: HttpRequest, programme: str, city: str, call: int, idea: int) -> HttpResponse:
    publication = get_public_city(programme, city)
    found = get_public_idea(get_public_call(publication, call), idea)
    response = render(request, "ideas/public/idea.html", _idea_context(publication, found, private=False))
    return _cacheable(request, response)


@require_safe
def idea_private(request: HttpRequest, programme: str, city: str, call: int, idea: int, key: str) -> HttpResponse:
    """The author's page of their idea, in any state, with the reason if it was declined."""
    publication = get_public_city(programme, city)
    found = get_author_idea(get_public_call(publication, call), idea, key)
    context = {**_idea_context(publication, found, private=True), "link": request.build_absolute_uri()}
    response = render(request, "ideas/public/idea.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
