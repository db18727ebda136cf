"""Django's ``makemessages``, with msgmerge told not to guess: a new string is left empty for
its translator instead of being filled with the translation of a similar one, marked fuzzy."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
