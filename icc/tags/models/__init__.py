"""Thematic action groups, cross-city labs and awards.

A TAG is one mentor city with five to seven core cities, formed by an optimiser from the
cities' themes, the mentors they asked for and how alike they are. A TAG picks a topic,
meets in working sessions where each city commits to something until the next one, and
without its mentor in progress trackers. Cross-city labs match cities on each other's
projects; awards are nominated, voted on and revealed.
"""

# Every model is importable from ``icc.tags.models``, as migrations and the other apps expect.

from icc.tags.models.awards import (
    Award,
    Nomination,
    Reveal,
    Vote,
)
from icc.tags.models.formation import (
    FormationRun,
    Membership,
    MentorCapacity,
    MentorPreference,
    PairingRule,
    RuleKind,
    Tag,
)
from icc.tags.models.labs import (
    BrainDate,
    Lab,
    Pick,
    Project,
    UseCase,
)
from icc.tags.models.life import (
    Commitment,
    CommitmentStatus,
    RequestStatus,
    SecondMentorRequest,
    Session,
    SessionKind,
    Topic,
    TopicVote,
)

__all__ = [
    "Award",
    "BrainDate",
    "Commitment",
    "CommitmentStatus",
    "FormationRun",
    "Lab",
    "Membership",
    "MentorCapacity",
    "MentorPreference",
    "Nomination",
    "PairingRule",
    "Pick",
    "Project",
    "RequestStatus",
    "Reveal",
    "RuleKind",
    "SecondMentorRequest",
    "Session",
    "SessionKind",
    "Tag",
    "Topic",
    "TopicVote",
    "UseCase",
    "Vote",
]
