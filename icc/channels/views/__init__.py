"""The pages of channels: the list, a channel, a thread, an edit and its history, and
one small view per write. New posts arrive by polling (htmx) a fragment of the page's
own template; without JavaScript the page is simply reloaded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.accounts.models import Person
from icc.channels import access, actions
from icc.channels.forms import CursorForm, EditForm, PostForm, ReactionForm
from icc.channels.models import Channel, Kind, Post, Visit
from icc.channels.views.shown import PER_PAGE, show
from icc.core.params import MAX_ID
from icc.core.responses import render_page, wants_fragment
from icc.core.types import AuthedHttpRequest
from icc.tags.access import get_tag_for_user

LIST_PAGE = "channels/list.html"
CHANNEL_PAGE = "channels/channel.html"
THREAD_PAGE = "channels/thread.html"
EDIT_PAGE = "channels/edit.html"
HISTORY_PAGE = "channels/history.html"
NEW_LIMIT = 50
PINNED = 3


def _cursor(request: AuthedHttpRequest) -> tuple[int | None, int | None]:
    form = CursorForm(request.GET)
    if not form.is_valid():
        return None, None
    return form.cleaned_data.get("before"), form.cleaned_data.get("after")


@login_required
@require_safe
def channel_list(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_channels_for_user(request.user, slug)
    actions.ensure_channels(programme)
    seen = Visit.objects.filter(person=request.user, channel=OuterRef("pk")).values("last_seen")
    channels = (
        access.visible_channels(request.user, programme)
        .select_related("theme", "tag__theme", "tag__mentor")
        .prefetch_related("people")
        .annotate(latest=Max("posts__pk"), seen=Subquery(seen))
        .order_by("kind", "pk")
    )
    groups: dict[str, list[Channel]] = {kind: [] for kind in Kind.values}
    for channel in channels:
        groups[channel.kind].append(channel)
    context = {"programme": programme, "groups": groups, "kinds": Kind}
    return render(request, LIST_PAGE, context)


def _channel_context(request: AuthedHttpRequest, channel: Channel, form: PostForm | None = None) -> dict[str, object]:
    before, _after = _cursor(request)
    top = Post.objects.filter(channel=channel, parent=None)
    if before is not None:
        top = top.filter(pk__lt=before)
    newest_first = list(top.order_by("-pk")[: PER_PAGE + 1])
    has_older = len(newest_first) > PER_PAGE
    posts = list(reversed(newest_first[:PER_PAGE]))
    pinned = list(
        Post.objects.filter(channel=channel, parent=None, pinned_at__isnull=False, removed_at=None).order_by(
            "-pinned_at"
        )[:PINNED]
    )
    last_id = posts[-1].pk if posts else 0
    seen = actions.note_visit(person=request.user, channel=channel, last_id=last_id) if before is None else MAX_ID
    shown = show([*posts, *pinned], request.user, channel, seen=seen)
    return {
        "programme": channel.programme,
        "channel": channel,
        "posts": [shown[p.pk] for p in posts],
        "pinned": [shown[p.pk] for p in pinned],
        "older": posts[0].pk if has_older and posts else None,
        "latest_page": before is None,
        "last_id": last_id,
        "form": form or PostForm(),
        "other": _other(channel, request.user),
        "may_message": channel.kind != Kind.DIRECT,
    }


def _other(channel: Channel, person: Person) -> Person | None:
    if channel.kind != Kind.DIRECT:
        return None
    return next((p for p in channel.people.all() if p.pk != person.pk), None)


@login_required
@require_safe
def channel_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    channel = access.get_channel_for_user(request.user, pk)
    return render(request, CHANNEL_PAGE, _channel_context(request, channel))


@login_required
@require_safe
def channel_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The posts after ``after``: what the page's poller adds below the last one it shows."""
    channel = access.get_channel_for_user(request.user, pk)
    _before, after = _cursor(request)
    if after is None or not wants_fragment(request):
        return redirect(channel)
    posts = list(Post.objects.filter(channel=channel, parent=None, pk__gt=after).order_by("pk")[:NEW_LIMIT])
    last_id = posts[-1].pk if posts else after
    if posts:
        actions.note_visit(person=request.user, channel=channel, last_id=last_id)
    shown = show(posts, request.user, channel, seen=after)
    context = {
        "channel": channel,
        "new_posts": [shown[p.pk] for p in posts],
        "last_id": last_id,
        "may_message": channel.kind != Kind.DIRECT,
    }
    return render_page(request, CHANNEL_PAGE, context, fragment="new-posts")


@login_required
@require_POST
def post_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    channel = access.get_channel_for_user(request.user, pk)
    form = PostForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post = actions.post_message(
                channel=channel, body=form.cleaned_data["body"], upload=form.cleaned_data.get("upload"), by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(f"{channel.get_absolute_url()}#post-{post.pk}")
    return render(request, CHANNEL_PAGE, _channel_context(request, channel, form), status=400)


def _add_errors(form: PostForm | EditForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        form.add_error(None, error)
    else:
        form.add_error("upload" if "upload" in form.fields else None, error)


def _thread_context(request: AuthedHttpRequest, post: Post, form: PostForm | None = None) -> dict[str, object]:
    before, after = _cursor(request)
    replies = Post.objects.filter(parent=post)
    if before is not None:
        page = list(reversed(replies.filter(pk__lt=before).order_by("-pk")[: PER_PAGE + 1]))
        earlier, later = len(page) > PER_PAGE, True
        page = page[-PER_PAGE:]
    else:
        page = list(replies.filter(pk__gt=after or 0).order_by("pk")[: PER_PAGE + 1])
        earlier, later = bool(after), len(page) > PER_PAGE
        page = page[:PER_PAGE]
    channel = post.channel
    shown = show([post, *page], request.user, channel, seen=MAX_ID)
    return {
        "programme": channel.programme,
        "channel": channel,
        "post": shown[post.pk],
        "thread_id": post.pk,
        "replies": [shown[p.pk] for p in page],
        "earlier": page[0].pk if earlier and page else None,
        "later": page[-1].pk if later and page else None,
        "last_id": page[-1].pk if page else 0,
        "at_end": not later,
        "form": form or PostForm(),
        "other": _other(channel, request.user),
        "may_message": channel.kind != Kind.DIRECT,
    }


def _top_level(request: AuthedHttpRequest, pk: int) -> Post:
    post = access.get_post_for_user(request.user, pk)
    if post.parent_id is not None:
        raise Http404
    return post


@login_required
@require_safe
def thread_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = access.get_post_for_user(request.user, pk)
    if post.parent_id is not None:  # an answer opens in its thread
        return redirect(post)
    return render(request, THREAD_PAGE, _thread_context(request, post))


@login_required
@require_safe
def thread_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = _top_level(request, pk)
    _before, after = _cursor(request)
    if after is None or not wants_fragment(request):
        return redirect(post)
    replies = list(Post.objects.filter(parent=post, pk__gt=after).order_by("pk")[:NEW_LIMIT])
    shown = show(replies, request.user, post.channel, seen=after)
    last_id = replies[-1].pk if replies else after
    context = {"channel": post.channel, "thread_id": post.pk, "new_replies": [shown[p.pk] for p in replies]}
    return render_page(request, THREAD_PAGE, {**context, "last_id": last_id}, fragment="new-replies")


@login_required
@require_POST
def reply_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = _top_level(request, pk)
    form = PostForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            reply = actions.post_message(
                channel=post.channel,
                parent=post,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data.get("upload"),
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(reply)
    return render(request, THREAD_PAGE, _thread_context(request, post, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = access.get_post_for_user(request.user, pk, write=True)
    form = EditForm(request.POST if request.method == "POST" else None, initial={"body": post.body})
    if form.is_valid():
        try:
            actions.edit_post(post=post, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your message is changed."))
            return redirect(post)
    context = {"programme": post.channel.programme, "channel": post.channel, "post": post, "form": form}
    return render(request, EDIT_PAGE, context, status=400 if form.errors else 200)


@login_required
@require_safe
def post_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = access.get_post_for_user(request.user, pk)
    context = {
        "programme": post.channel.programme,
        "channel": post.channel,
        "post": post,
        "revisions": post.revisions.all()[:100],
    }
    return render(request, HISTORY_PAGE, context)


@login_required
@require_POST
def post_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = access.get_post_for_user(request.user, pk)
    access.require_remover(request.user, post)
    actions.remove_post(post=post, by=request.user)
    messages.success(request, _("The message is removed."))
    return redirect(post)


def _pin(request: AuthedHttpRequest, pk: int, *, pinned: bool) -> HttpResponse:
    post = access.get_post_for_user(request.user, pk)
    access.require_pinner(request.user, post)
    actions.pin(post=post, pinned=pinned, by=request.user)
    messages.success(request, _("The message is pinned.") if pinned else _("The message is no longer pinned."))
    return redirect(f"{post.channel.get_absolute_url()}#post-{post.pk}")


@login_required
@require_POST
def post_pin(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _pin(request, pk, pinned=True)


@login_required
@require_POST
def post_unpin(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _pin(request, pk, pinned=False)


@login_required
@require_POST
def post_react(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = access.get_post_for_user(request.user, pk)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the reactions offered."))
    else:
        try:
            actions.react(post=post, emoji=form.cleaned_data["emoji"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    if post.parent_id is None and request.POST.get("from") != "thread":
        return redirect(f"{post.channel.get_absolute_url()}#post-{post.pk}")
    return redirect(post)


@login_required
@require_POST
def direct_open(request: AuthedHttpRequest, slug: str, person_pk: int) -> HttpResponse:
    """Open (or find) the direct thread with someone one may write to."""
    programme = access.get_channels_for_user(request.user, slug)
    other = Person.objects.filter(pk=person_pk, is_active=True).first() if 0 < person_pk <= MAX_ID else None
    if other is None or not access.may_write_to(request.user, other, programme):
        raise Http404
    channel = actions.open_direct(programme=programme, people=[request.user, other])
    return redirect(channel)


@login_required
@require_safe
def tag_channel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """From a TAG's page to its channel, opened the first time it is asked for."""
    tag = get_tag_for_user(request.user, pk)
    actions.ensure_channels(tag.programme)
    return redirect(access.get_channel_for_user(request.user, Channel.objects.get(tag=tag).pk))


@login_required
@require_safe
def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    attachment = access.get_attachment_for_user(request.user, pk)
    if not attachment.document:
        raise PermissionDenied
    return FileResponse(attachment.document.open("rb"), as_attachment=True, filename=attachment.original_name)
