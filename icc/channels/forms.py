"""The forms of channels: a message (with an optional file), an edit, a reaction, a page cursor."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from icc.channels.models import POST_LENGTH, Emoji
from icc.core.params import MAX_ID

TOO_LONG = _("A message is at most %(limit)s characters long.") % {"limit": f"{POST_LENGTH:,}"}


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=POST_LENGTH,
        error_messages={"max_length": TOO_LONG, "required": _("Write a message.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Markdown: **bold**, *italic*, lists and links. Mention someone in this channel with @[their full name]."
        ),
    )
    upload = forms.FileField(label=_("Attach a file"), required=False, help_text=_("PDF or an office document."))


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=POST_LENGTH,
        error_messages={"max_length": TOO_LONG, "required": _("Write a message.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReactionForm(forms.Form):
    emoji = forms.ChoiceField(choices=Emoji.choices)


class CursorForm(forms.Form):
    """Where a page of posts starts: before or after a post id (both optional)."""

    before = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    after = forms.IntegerField(required=False, min_value=0, max_value=MAX_ID)
