"""The pages and writes of TAGs, labs and awards, one module per sub-domain."""

from icc.tags.views.awards import awards_view
from icc.tags.views.formation import formation_view, run_view, tags_view
from icc.tags.views.labs import brain_date_view, lab_view, labs_view
from icc.tags.views.life import session_view, tag_view
from icc.tags.views.preferences import preferences_view

__all__ = [
    "awards_view",
    "brain_date_view",
    "formation_view",
    "lab_view",
    "labs_view",
    "preferences_view",
    "run_view",
    "session_view",
    "tag_view",
    "tags_view",
]
