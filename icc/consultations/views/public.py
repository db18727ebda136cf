"""The public side: a city's consultations, answering one, its results, and confirming
an answer from the e-mail. No account; anything not opened, or of a city whose page is
not published, is a 404.

How the answer address answers a POST (for people and for load tests alike):

- 303 to the consultation's own address, which then thanks the browser: accepted;
- 200, the form again with its errors: nothing stored;
- 409: this browser's answer was already counted (a second tab, a replayed request);
- 429: too many answers from the address in the last hour;
- 503, the form again with a message: the confirmation e-mail could not be sent, nothing stored;
- 403 before the opening, 410 after the closing: nothing stored.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from icc.consultations import access, actions, limits, results, structure
from icc.consultations.actions.answers import key_of
from icc.consultations.answering import NOTHING, Parsed, Problem, parse
from icc.consultations.clock import city_zone
from icc.consultations.models import Consultation, Phase, Status, Submission
from icc.consultations.page import answer_form, problem_words
from icc.public.access import get_public_city
from icc.public.participation import remember, visitor, visitor_or_new

LIST_PAGE = "consultations/public/list.html"
ANSWER_PAGE = "consultations/public/answer.html"
RESULTS_PAGE = "consultations/public/results.html"
CONFIRM_PAGE = "consultations/public/confirm.html"
NOTICE_PAGE = "consultations/public/notice.html"
PUBLIC_SECONDS = 60


class SeeOther(HttpResponseRedirect):
    status_code = 303


def _cacheable(response: HttpResponse) -> HttpResponse:
    """A page the same for every visitor: shared caches may keep it a minute (the
    middleware makes it private again if it sets a cookie or the reader is signed in)."""
    response["Cache-Control"] = f"public, max-age={PUBLIC_SECONDS}"
    return response


def _base(consultation: Consultation) -> dict[str, Any]:
    publication = consultation.city.publication
    return {
        "programme": publication.programme,
        "publication": publication,
        "consultation": consultation,
        "default": publication.default_language,
        "zone": city_zone(consultation.city).key,
    }


def _address(consultation: Consultation, name: str = "public:consultation") -> str:
    publication = consultation.city.publication
    return reverse(
        name, kwargs={"programme": publication.programme.slug, "city": publication.slug, "pk": consultation.pk}
    )


@require_safe
def consultations(request: HttpRequest, programme: str, city: str) -> HttpResponse:
    publication = get_public_city(programme, city)
    now = timezone.now()
    found = Consultation.objects.filter(city_id=publication.city_id).filter(
        Q(status=Status.OPEN, opens_at__lte=now, closes_at__gt=now)
        | (Q(results_published=True) & (Q(status=Status.CLOSED) | Q(closes_at__lte=now)))
    )
    ordered = sorted(found, key=lambda c: c.closes_at or now, reverse=True)
    context = {
        "programme": publication.programme,
        "publication": publication,
        "default": publication.default_language,
        "zone": city_zone(publication.city).key,
        "open": [c for c in ordered if c.phase(now) == Phase.OPEN],
        "published": [c for c in ordered if c.phase(now) == Phase.CLOSED],
    }
    return _cacheable(render(request, LIST_PAGE, context))


def _notice(request: HttpRequest, consultation: Consultation, heading: str, text: str, status: int) -> HttpResponse:
    context = {**_base(consultation), "heading": heading, "text": text}
    return render(request, NOTICE_PAGE, context, status=status)


def _answer_page(
    request: HttpRequest, consultation: Consultation, parsed: Parsed | None = None, status: int = 200
) -> HttpResponse:
    shape = structure.of(consultation)
    publication = consultation.city.publication
    context = {
        **_base(consultation),
        "form": answer_form(shape, parsed, publication.default_language),
        "parsed": parsed,
        "general": problem_words(parsed, NOTHING),
        "consent_error": problem_words(parsed, "consent"),
        "email_error": problem_words(parsed, "email"),
        "has_personal": shape.has_personal,
        "confirm_days": limits.confirm_days(),
    }
    response = render(request, ANSWER_PAGE, context, status=status)
    visitor_or_new(request)
    return remember(request, response)


def _mine(request: HttpRequest, consultation: Consultation) -> Submission | None:
    found = visitor(request)
    if found is None:
        return None
    return Submission.objects.filter(consultation=consultation, participant_key=key_of(consultation, found)).first()


def _closed_words(consultation: Consultation) -> str:
    return _("This consultation is closed: it takes no more answers.")


@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, programme: str, city: str, pk: int) -> HttpResponse:
    found = access.get_public_consultation(programme, city, pk, request)
    phase = found.phase()
    if request.method == "POST":
        return _answer(request, found, phase)
    mine = _mine(request, found)
    if mine is not None and (mine.confirmed or request.GET.get("again") != "1"):
        return render(request, "consultations/public/thanks.html", {**_base(found), "submission": mine, "phase": phase})
    if phase != Phase.OPEN:
        return render(request, "consultations/public/closed.html", {**_base(found), "phase": phase})
    return _answer_page(request, found)


def _answer(request: HttpRequest, found: Consultation, phase: Phase) -> HttpResponse:
    """Check and store one answer; see the module's note for what each status means."""
    if phase == Phase.SCHEDULED:
        return _notice(request, found, _("Not open yet"), _("This consultation is not open yet."), 403)
    if phase != Phase.OPEN:
        return _notice(request, found, _("Closed"), _closed_words(found), 410)
    parsed = parse(structure.of(found), request.POST, needs_email=found.needs_confirmation)
    if not parsed.ok:
        return _answer_page(request, found, parsed)
    try:
        actions.submit(request=request, consultation=found, parsed=parsed, visitor=visitor_or_new(request))
    except actions.AlreadyCounted:
        return _notice(
            request,
            found,
            _("Already counted"),
            _("An answer from this browser was already counted. Each browser answers once."),
            409,
        )
    except ValidationError as error:
        return _notice(request, found, _("Please try again later"), " ".join(error.messages), 429)
    except actions.ConfirmationNotSent:
        parsed.problems["email"] = Problem("email_not_sent")
        return _answer_page(request, found, parsed, status=503)
    return remember(request, SeeOther(_address(found)))


@require_safe
def consultation_results(request: HttpRequest, programme: str, city: str, pk: int) -> HttpResponse:
    found = access.get_public_results(programme, city, pk, request)
    context = {**_base(found), "results": results.compute(found, structure.of(found))}
    return _cacheable(render(request, RESULTS_PAGE, context))


@require_http_methods(["GET", "POST"])
def consultation_confirm(request: HttpRequest, programme: str, city: str, pk: int, token: str) -> HttpResponse:
    """The link from the e-mail: a button (so that a mail scanner opening it confirms
    nothing), and the confirmation itself on POST."""
    found = access.get_public_consultation(programme, city, pk, request)
    link = actions.read_token(found, token)
    if link.submission is None:
        heading = _("This link has expired") if link.expired else _("This link does not work")
        text = (
            _("Confirmation links work for %(days)s days. You can answer again while the consultation is open.")
            % {"days": limits.confirm_days()}
            if link.expired
            else _("Check that you copied all of it, or answer again while the consultation is open.")
        )
        return _notice(request, found, heading, text, 404)
    if request.method != "POST":
        return render(request, CONFIRM_PAGE, {**_base(found), "submission": link.submission})
    outcome = actions.confirm(consultation=found, submission=link.submission)
    if outcome == actions.Confirmation.CLOSED:
        return _notice(request, found, _("Closed"), _closed_words(found), 410)
    if outcome == actions.Confirmation.DUPLICATE:
        return _notice(
            request,
            found,
            _("Already counted"),
            _("An answer confirmed from this e-mail address was already counted, so this one is not."),
            409,
        )
    return render(
        request,
        "consultations/public/thanks.html",
        {**_base(found), "submission": link.submission, "phase": found.phase(), "confirmed_now": True},
    )
