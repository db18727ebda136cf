from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from icc.cities.access import can_edit_city, get_city_for_user, get_programme_for_user, is_programme_team
from icc.cities.roles import may_vote
from icc.core.params import parse_id
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.tags import actions, formation, progress
from icc.tags.access import (
    cities_spoken_for,
    get_brain_date_for_user,
    get_lab_for_user,
    get_session_for_user,
    get_tag_for_user,
    records_takeaways,
    represented_city,
    runs_tag,
    runs_trackers,
    takes_part,
    visible_tags,
)
from icc.tags.forms import (
    CapacityForm,
    CommitmentForm,
    FollowUpForm,
    LabForm,
    NominationForm,
    PicksForm,
    PreferencesForm,
    ProjectForm,
    RuleForm,
    RunForm,
    SecondMentorForm,
    SessionForm,
    TakeawaysForm,
    TopicForm,
    UseCaseForm,
)
from icc.tags.models import (
    Award,
    Commitment,
    FormationRun,
    Lab,
    Membership,
    MentorCapacity,
    MentorPreference,
    Nomination,
    PairingRule,
    Pick,
    Project,
    Reveal,
    SecondMentorRequest,
    SessionKind,
    Topic,
    Vote,
)


def _fail(request: AuthedHttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


# Formation -----------------------------------------------------------------------------


@login_required
@require_GET
def tags_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug)
    tags = (
        visible_tags(request.user, programme)
        .select_related("mentor", "theme")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("city")),
            Prefetch("topics", queryset=Topic.objects.filter(chosen=True)),
        )
    )
    return render(
        request,
        "tags/tags.html",
        {"programme": programme, "tags": tags, "is_team": is_programme_team(request.user, programme)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def formation_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    mentors = actions.mentors_of(programme)
    capacities = dict(MentorCapacity.objects.filter(city__in=mentors).values_list("city_id", "tags"))
    step = request.POST.get("step", "") if request.method == "POST" else ""
    rule_form = RuleForm(request.POST if step == "rule" else None, programme=programme)
    capacity_form = CapacityForm(request.POST if step == "capacity" else None, mentors=mentors, capacities=capacities)
    run_form = RunForm(request.POST if step == "run" else None)
    if step == "rule" and rule_form.is_valid():
        rule = rule_form.save(commit=False)
        formation.add_rule(rule=rule, by=request.user)
        messages.success(request, _("Rule saved: it applies to every run from now on."))
        return redirect("tags:formation", slug=slug)
    if step == "remove":
        try:
            formation.remove_rule(programme=programme, rule_id=request.POST.get("rule", ""), by=request.user)
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Rule removed."))
        return redirect("tags:formation", slug=slug)
    if step == "capacity" and capacity_form.is_valid():
        formation.set_capacities(capacities=capacity_form.capacities(), by=request.user)
        messages.success(request, _("Mentor capacities saved."))
        return redirect("tags:formation", slug=slug)
    if step == "run" and run_form.is_valid():
        run = formation.run(
            programme=programme,
            min_size=run_form.cleaned_data["min_size"],
            max_size=run_form.cleaned_data["max_size"],
            by=request.user,
        )
        return redirect("tags:run", slug=slug, pk=run.pk)
    return render(
        request,
        "tags/formation.html",
        {
            "programme": programme,
            "rule_form": rule_form,
            "capacity_form": capacity_form,
            "run_form": run_form,
            "rules": PairingRule.objects.filter(city__programme=programme).select_related("city", "mentor"),
            "runs": FormationRun.objects.filter(programme=programme).select_related("created_by")[:10],
            "supply": formation.supply(programme),
            "preferences": MentorPreference.objects.filter(city__programme=programme).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_view(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    run = FormationRun.objects.filter(programme=programme, pk=pk).select_related("created_by").first()
    if run is None:
        raise Http404
    if request.method == "POST":
        try:
            count = formation.adopt(run=run, by=request.user)
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("%(count)s TAGs formed, with their sessions scheduled.") % {"count": count})
            return redirect("tags:tags", slug=slug)
    view = formation.present(run)
    changes = formation.changes_on_adoption(run) if view["groups"] and not run.adopted_at else None
    return render(request, "tags/run.html", {"programme": programme, "run": run, "view": view, "changes": changes})


@login_required
@require_http_methods(["GET", "POST"])
def preferences_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    if city.is_mentor:
        raise Http404
    mentors = actions.mentors_of(city.programme)
    current = {p.rank: p.mentor_id for p in MentorPreference.objects.filter(city=city)}
    form = PreferencesForm(
        request.POST or None, mentors=mentors, initial={f"rank_{rank}": mentor for rank, mentor in current.items()}
    )
    editable = can_edit_city(request.user, city)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            actions.set_preferences(city=city, mentors=form.ranked(), by=request.user)
            messages.success(request, _("Mentor preferences saved."))
            return redirect("tags:preferences", pk=city.pk)
    membership = Membership.objects.filter(city=city).select_related("tag", "tag__mentor", "tag__run").first()
    run = membership.tag.run if membership else None
    return render(
        request,
        "tags/preferences.html",
        {
            "city": city,
            "form": form,
            "editable": editable,
            "membership": membership,
            "grouping_words": formation.grouping_in_words(run.status) if run else "",
        },
    )


# TAG life ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tag_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    tag = get_tag_for_user(request.user, pk)
    runner = runs_tag(request.user, tag)
    member_city = represented_city(request.user, tag)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    topic_form = TopicForm(request.POST if step == "propose" else None)
    second_form = (
        SecondMentorForm(request.POST if step == "second" else None, city=member_city) if member_city else None
    )
    if request.method == "POST":
        try:
            if step == "propose" and runner and topic_form.is_valid():
                actions.propose_topic(tag=tag, by=request.user, **topic_form.cleaned_data)
                messages.success(request, _("Topic proposed."))
            elif step == "vote" and member_city is not None:
                topic = Topic.objects.filter(tag=tag, pk=parse_id(request.POST.get("topic")) or 0).first()
                if topic is None:
                    raise ValidationError(_("Choose one of the proposed topics."))
                actions.vote_for_topic(
                    topic=topic,
                    city=member_city,
                    replacing=parse_id(request.POST.get("replacing")),
                    by=request.user,
                )
                messages.success(request, _("Vote saved for %(city)s.") % {"city": member_city.name})
            elif step == "choose" and runner:
                topic = actions.choose_topic(tag=tag, by=request.user)
                messages.success(request, _("The group's topic: %(topic)s.") % {"topic": topic.title})
            elif step == "second" and second_form is not None and member_city is not None and second_form.is_valid():
                actions.request_second_mentor(city=member_city, by=request.user, **second_form.cleaned_data)
                messages.success(request, _("Request sent to the mentor."))
            elif step in ("accept", "decline") and runner:
                pending = SecondMentorRequest.objects.filter(
                    mentor=tag.mentor, pk=parse_id(request.POST.get("request")) or 0
                ).first()
                if pending is None:
                    raise Http404
                actions.decide_request(request=pending, accept=step == "accept", by=request.user)
                messages.success(request, _("Answer recorded."))
            elif step in ("propose", "second"):
                if not (runner if step == "propose" else member_city):
                    raise PermissionDenied
                raise _Invalid
            else:
                raise PermissionDenied
            return redirect(tag)
        except ValidationError as error:
            _fail(request, error)
        except _Invalid:
            pass
    topics = list(tag.topics.annotate(count=Count("votes")))
    votes = {v.city_id: v.topic_id for v in tag.topic_votes.all()}
    return render(
        request,
        "tags/tag.html",
        {
            "tag": tag,
            "runner": runner,
            "member_city": member_city,
            "grouping_words": formation.grouping_in_words(tag.run.status) if tag.run else "",
            "grouping_figures": formation.run_figures(tag.run.result)
            if tag.run and is_programme_team(request.user, tag.programme)
            else "",
            "memberships": tag.memberships.select_related("city"),
            "topics": topics,
            "chosen": next((t for t in topics if t.chosen), None),
            "my_vote": votes.get(member_city.pk) if member_city else None,
            "topic_form": topic_form,
            "second_form": second_form,
            "sessions": tag.sessions.all(),
            "requests": SecondMentorRequest.objects.filter(mentor=tag.mentor).select_related("city", "theme"),
        },
    )


class _Invalid(Exception):
    """A form was sent with errors: show it again."""


@login_required
@require_http_methods(["GET", "POST"])
def session_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    tag = session.tag
    facilitator = (
        runs_tag(request.user, tag) if session.kind == SessionKind.WORKING else runs_trackers(request.user, tag)
    )
    member_city = represented_city(request.user, tag)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    prepare_form = SessionForm(request.POST if step == "prepare" else None, instance=session)
    commit_form = CommitmentForm(request.POST if step == "commit" else None)
    earlier = actions.previous_session(session)
    to_follow = list(
        Commitment.objects.filter(session=earlier).select_related("city", "followed_up_in") if earlier else []
    )
    current = None
    if request.method == "POST":
        try:
            if step == "prepare" and facilitator:
                if not prepare_form.is_valid():
                    raise _Invalid
                actions.save_session(
                    session=prepare_form.save(commit=False),
                    expected_version=prepare_form.expected_version,
                    by=request.user,
                )
                messages.success(request, _("Session saved."))
            elif step == "commit" and member_city is not None:
                if not commit_form.is_valid():
                    raise _Invalid
                actions.commit(
                    session=session, city=member_city, text=commit_form.cleaned_data["text"], by=request.user
                )
                messages.success(request, _("Commitment recorded."))
            elif step == "follow":
                commitment = next((c for c in to_follow if str(c.pk) == request.POST.get("commitment")), None)
                if commitment is None:
                    raise Http404
                if not (facilitator or (member_city is not None and commitment.city_id == member_city.pk)):
                    raise PermissionDenied
                follow = FollowUpForm(request.POST)
                if not follow.is_valid():
                    raise ValidationError(_("Say whether the commitment was done, partly done or not done."))
                actions.follow_up(commitment=commitment, at=session, by=request.user, **follow.cleaned_data)
                messages.success(request, _("Follow-up recorded."))
            else:
                raise PermissionDenied
            return redirect(session)
        except ValidationError as error:
            _fail(request, error)
        except StaleEdit as stale:
            current = refuse_stale(request, stale, prepare_form)
        except _Invalid:
            pass
    return render(
        request,
        "tags/session.html",
        {
            "session": session,
            "tag": tag,
            "facilitator": facilitator,
            "member_city": member_city,
            "prepare_form": prepare_form,
            "commit_form": commit_form,
            "commitments": session.commitments.select_related("city"),
            "earlier": earlier,
            "to_follow": to_follow,
            "follow_form": FollowUpForm(),
            "current": current,
        },
    )


# Labs ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def labs_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug)
    if not takes_part(request.user, programme):
        raise PermissionDenied
    is_team = is_programme_team(request.user, programme)
    form = LabForm(request.POST or None)
    if request.method == "POST":
        if not is_team:
            raise PermissionDenied
        if form.is_valid():
            lab = form.save(commit=False)
            lab.programme = programme
            lab.save()
            messages.success(request, _("Lab added."))
            return redirect(lab)
    labs = Lab.objects.filter(programme=programme).annotate(project_count=Count("projects"))
    return render(request, "tags/labs.html", {"programme": programme, "labs": labs, "form": form, "is_team": is_team})


@login_required
@require_http_methods(["GET", "POST"])
def lab_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lab = get_lab_for_user(request.user, pk)
    programme = lab.programme
    is_team = is_programme_team(request.user, programme)
    my_cities = [c for c in cities_spoken_for(request.user, programme) if not c.is_mentor]
    city = my_cities[0] if my_cities else None
    projects = list(lab.projects.select_related("city", "theme"))
    peers = [p for p in projects if city is None or p.city_id != city.pk]
    step = request.POST.get("step", "") if request.method == "POST" else ""
    project_form = ProjectForm(request.POST if step == "project" else None, programme=programme)
    use_case_form = UseCaseForm(request.POST if step == "use_case" else None)
    current = {p.rank: p.project_id for p in Pick.objects.filter(lab=lab, city=city)} if city else {}
    picks_form = PicksForm(
        request.POST if step == "picks" else None,
        projects=peers,
        initial={f"pick_{rank}": project for rank, project in current.items()},
    )
    if request.method == "POST":
        try:
            if step == "match" and is_team:
                count = formation.match_brain_dates(lab=lab, by=request.user)
                messages.success(request, _("%(count)s brain dates formed.") % {"count": count})
            elif step in ("project", "use_case", "picks") and city is not None:
                form = {"project": project_form, "use_case": use_case_form, "picks": picks_form}[step]
                if not form.is_valid():
                    raise _Invalid
                if step == "project":
                    project = project_form.save(commit=False)
                    project.lab, project.city = lab, city
                    if Project.objects.filter(lab=lab, city=city, title=project.title).exists():
                        raise ValidationError(_("Your city already brings a project with this title."))
                    actions.save_project(project=project, by=request.user)
                    messages.success(request, _("Project added."))
                elif step == "use_case":
                    use_case = use_case_form.save(commit=False)
                    use_case.lab, use_case.city = lab, city
                    if lab.use_cases.filter(city=city, category__iexact=use_case.category).exists():
                        raise ValidationError(_("Your city already brings a use case in this category."))
                    use_case.save()
                    messages.success(request, _("Use case added."))
                else:
                    actions.save_picks(lab=lab, city=city, projects=picks_form.ranked(), by=request.user)
                    messages.success(request, _("Your picks are saved."))
            else:
                raise PermissionDenied
            return redirect(lab)
        except ValidationError as error:
            _fail(request, error)
        except _Invalid:
            pass
    filters, shown = _filter_projects(request, projects)
    return render(
        request,
        "tags/lab.html",
        {
            "lab": lab,
            "programme": programme,
            "is_team": is_team,
            "matching_words": formation.brain_dates_in_words(lab.matching.get("status", "")),
            "matching_figures": formation.brain_date_figures(lab.matching) if is_team else "",
            "city": city,
            "projects": shown,
            "filters": filters,
            "themes": programme.themes.all(),
            "topics": sorted({p.topic for p in projects}),
            "countries": sorted({p.city.country for p in projects}),
            "project_form": project_form,
            "use_case_form": use_case_form,
            "picks_form": picks_form,
            "pick_count": Pick.objects.filter(lab=lab).values("city").distinct().count(),
            "brain_dates": lab.brain_dates.prefetch_related("cities"),
            "rooms": actions.solution_rooms(lab),
            "procurement": actions.procurement_groups(lab),
        },
    )


def _filter_projects(request: AuthedHttpRequest, projects: list[Project]) -> tuple[dict[str, str], list[Project]]:
    filters = {name: request.GET.get(name, "") for name in ("theme", "topic", "country")}
    shown = projects
    if filters["theme"]:
        shown = [p for p in shown if str(p.theme_id) == filters["theme"]]
    if filters["topic"]:
        shown = [p for p in shown if p.topic == filters["topic"]]
    if filters["country"]:
        shown = [p for p in shown if p.city.country == filters["country"]]
    return filters, shown


@login_required
@require_http_methods(["GET", "POST"])
def brain_date_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    brain_date = get_brain_date_for_user(request.user, pk)
    recorder = records_takeaways(request.user, brain_date)
    form = TakeawaysForm(
        request.POST or None,
        initial={
            "version": brain_date.version,
            **{f"takeaway_{n}": getattr(brain_date, f"takeaway_{n}") for n in (1, 2, 3)},
        },
    )
    current = None
    if request.method == "POST":
        if not recorder:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.record_takeaways(
                    brain_date=brain_date,
                    takeaways=[form.cleaned_data[f"takeaway_{n}"] for n in (1, 2, 3)],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except StaleEdit as stale:
                current = refuse_stale(request, stale, form)
            else:
                messages.success(request, _("Takeaways recorded."))
                return redirect(brain_date)
    cities = list(brain_date.cities.all())
    projects = Project.objects.filter(lab=brain_date.lab, city__in=cities).select_related("city", "theme")
    return render(
        request,
        "tags/brain_date.html",
        {
            "brain_date": brain_date,
            "cities": cities,
            "projects": projects,
            "form": form,
            "recorder": recorder,
            "current": current,
            "takeaways": [t for t in (brain_date.takeaway_1, brain_date.takeaway_2, brain_date.takeaway_3) if t],
        },
    )


# Awards --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def awards_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug)
    is_team = is_programme_team(request.user, programme)
    voter = may_vote(request.user, programme)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    form = NominationForm(request.POST if step == "nominate" else None, programme=programme)
    if request.method == "POST":
        try:
            if step == "nominate" and (voter or is_team):
                if not form.is_valid():
                    raise _Invalid
                actions.nominate(nomination=form.nomination(programme), by=request.user)
                messages.success(request, _("Nomination saved."))
            elif step == "vote" and voter:
                nomination = Nomination.objects.filter(
                    programme=programme, pk=parse_id(request.POST.get("nomination")) or 0
                ).first()
                if nomination is None:
                    raise Http404
                actions.vote(nomination=nomination, by=request.user)
                messages.success(request, _("Your vote is saved."))
            elif step == "reveal" and is_team:
                actions.reveal(programme=programme, award=request.POST.get("award", ""), by=request.user)
                messages.success(request, _("Result revealed."))
            else:
                raise PermissionDenied
            return redirect("tags:awards", slug=slug)
        except ValidationError as error:
            _fail(request, error)
        except _Invalid:
            pass
    nominations = (
        Nomination.objects.filter(programme=programme).select_related("city", "person").annotate(count=Count("votes"))
    )
    revealed = set(Reveal.objects.filter(programme=programme).values_list("award", flat=True))
    mine = dict(Vote.objects.filter(programme=programme, voter=request.user).values_list("award", "nomination_id"))
    by_award: dict[str, list[Any]] = defaultdict(list)
    for nomination in nominations:
        by_award[nomination.award].append(nomination)
    awards = []
    for value, label in Award.choices:
        entries = by_award.get(value, [])
        is_revealed = value in revealed
        # Until the result is revealed, nominees are listed by name for everyone: an order
        # by votes would be the ranking itself.
        entries.sort(key=(lambda n: (-n.count, str(n))) if is_revealed else str)
        top = entries[0].count if entries else 0
        awards.append(
            {
                "value": value,
                "label": label,
                "nominations": entries,
                "revealed": is_revealed,
                "winners": [n for n in entries if n.count == top] if is_revealed and top else [],
                "votes_cast": sum(n.count for n in entries),
                "my_vote": mine.get(value),
            }
        )
    return render(
        request,
        "tags/awards.html",
        {
            "programme": programme,
            "awards": awards,
            "form": form,
            "voter": voter,
            "is_team": is_team,
            "progress": progress.biggest_progress(programme)[:10],
        },
    )
