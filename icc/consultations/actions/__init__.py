"""Every write of the consultations app: building a draft, running a consultation, and
storing, confirming and forgetting answers."""

from icc.consultations.actions.answers import (
    AlreadyCounted,
    Confirmation,
    ConfirmationNotSent,
    confirm,
    erase_personal_answers,
    forget_email_keys,
    forget_unconfirmed,
    read_token,
    submit,
)
from icc.consultations.actions.building import (
    QuestionData,
    add_question,
    change_question,
    create_consultation,
    move_question,
    remove_question,
    save_settings,
)
from icc.consultations.actions.running import (
    close_consultation,
    moderate,
    move_closing,
    open_consultation,
    publish_results,
    readiness,
    remove_consultation,
    unpublish_results,
)

__all__ = [
    "AlreadyCounted",
    "Confirmation",
    "ConfirmationNotSent",
    "QuestionData",
    "add_question",
    "change_question",
    "close_consultation",
    "confirm",
    "create_consultation",
    "erase_personal_answers",
    "forget_email_keys",
    "forget_unconfirmed",
    "moderate",
    "move_closing",
    "move_question",
    "open_consultation",
    "publish_results",
    "read_token",
    "readiness",
    "remove_consultation",
    "remove_question",
    "save_settings",
    "submit",
    "unpublish_results",
]
