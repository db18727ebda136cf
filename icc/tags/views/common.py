"""What the tags views share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest


def fail(request: HttpRequest, error: ValidationError) -> None:
    """Say why a write without a form of its own (a button) changed nothing; the page is shown again."""
    for text in error.messages:
        messages.error(request, text)


def fail_form(request: HttpRequest, form: BaseForm) -> None:
    """Say why a form sent from a button (hidden fields only) was refused."""
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, str(text))
