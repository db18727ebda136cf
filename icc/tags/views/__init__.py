"""The pages and writes of TAGs, labs and awards, one module per sub-domain.

Each page renders (``@require_safe``, so a POST to it answers 405); each write has its own
small view: ``@require_POST`` → ``icc.tags.access`` → form → action → a redirect to the
page, or the page again with the invalid form (only its ``{% partialdef %}`` block for an
htmx request, through ``icc.core.responses.render_page``). A write without a form of its
own (a button) that the action refuses says why in a message on the page it returns to.
"""

from icc.tags.views.awards import award_reveal, awards_view, nomination_add, nomination_vote
from icc.tags.views.formation import (
    capacities_save,
    formation_view,
    rule_add,
    rule_remove,
    run_adopt,
    run_start,
    run_view,
    tags_view,
)
from icc.tags.views.labs import (
    brain_date_view,
    brain_dates_form,
    lab_add,
    lab_view,
    labs_view,
    picks_save,
    project_add,
    takeaways_save,
    use_case_add,
)
from icc.tags.views.life import (
    commitment_add,
    commitment_follow_up,
    second_mentor_accept,
    second_mentor_ask,
    second_mentor_decline,
    session_prepare,
    session_view,
    tag_view,
    topic_choose,
    topic_propose,
    topic_vote,
)
from icc.tags.views.preferences import preferences_save, preferences_view

__all__ = [
    "award_reveal",
    "awards_view",
    "brain_date_view",
    "brain_dates_form",
    "capacities_save",
    "commitment_add",
    "commitment_follow_up",
    "formation_view",
    "lab_add",
    "lab_view",
    "labs_view",
    "nomination_add",
    "nomination_vote",
    "picks_save",
    "preferences_save",
    "preferences_view",
    "project_add",
    "rule_add",
    "rule_remove",
    "run_adopt",
    "run_start",
    "run_view",
    "second_mentor_accept",
    "second_mentor_ask",
    "second_mentor_decline",
    "session_prepare",
    "session_view",
    "tag_view",
    "tags_view",
    "takeaways_save",
    "topic_choose",
    "topic_propose",
    "topic_vote",
    "use_case_add",
]
