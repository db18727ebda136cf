"""The demo's city toolbox: what the programme provides, what a mentor and a city share.

Written once; running the demo again finds the items by their titles and changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from icc.accounts.models import Person
from icc.cities.demo import PERSONA_EMAILS
from icc.journey.models import EventType, Submission, SubmissionStatus
from icc.library import actions
from icc.library.models import Audience, Form, Item, Kind
from icc.programmes.models import Programme
from icc.tags.models import Tag

HANDBOOK = """\
## How the journey runs

The programme takes each city through five phases. In **Preparation**, the city team forms
its local ecosystem and fills in the maturity self-assessment. In **Ambition and roadmap**
it turns the assessment into a strategy, chooses its top opportunities and writes a
roadmap with KPIs and targets. **Implementation** runs in cycles: each cycle starts with a
planning session and ends with a KPI update. **Review and way forward** looks back at the
targets and plans what comes after the programme.

## What to have ready before each event

- the self-assessment, reviewed by the lead expert, before the needs assessment workshop;
- the list of ecosystem members and their roles before the stakeholder workshop;
- the roadmap draft and the KPI baselines before the roadmap and monitoring workshop;
- the open actions of the cycle before each cycle planning session.

## Who helps

Your **lead expert** follows the city through the whole journey and reviews every
deliverable. **Thematic experts** run the thematic action groups; **transversal experts**
coach on finance, procurement and open data, with two visits per city.
"""

WORKSHOP = """\
## Before the workshop

1. Share the self-assessment results with everyone invited, a week ahead.
2. Ask each participant to bring the two needs they see as most pressing.
3. Book a room where small groups can work side by side.

## During the workshop (three hours)

| Time | Activity |
|---|---|
| 30 min | The assessment results, read together |
| 60 min | Needs in small groups, one theme each |
| 45 min | Needs ranked by the whole room |
| 45 min | First ideas of solutions for the top three needs |

## After it

Write the ranked needs into the strategy and send them to the lead expert.
"""

MENTOR_NOTE = """\
## Running a TAG working session

- Open with the commitments made at the last session and ask each city where it stands.
- Give every city five minutes on its progress and one question for the others.
- Close with the commitments for the next session, written down before anyone leaves.
"""


def _person(persona: str) -> Person:
    return Person.objects.get(email=PERSONA_EMAILS[persona])


def _add(programme: Programme, title: str, by: Person, *, event_keys: tuple[str, ...] = (), **fields: object) -> bool:
    if Item.objects.filter(programme=programme, title=title).exists():
        return False
    item = Item(programme=programme, title=title, **fields)
    events = EventType.objects.filter(programme=programme, key__in=event_keys)
    actions.add_item(item=item, themes=[], event_types=events, upload=None, by=by)
    return True


@transaction.atomic
def record_demo_library(*, programme: Programme) -> int:
    """The demo's toolbox items; returns how many were added."""
    organiser, thematic, mentor, rep = (_person(p) for p in ("organiser", "thematic_expert", "mentor", "city_rep"))
    added = 0
    added += _add(
        programme,
        "Methodological handbook: the city journey",
        organiser,
        kind=Kind.GUIDANCE,
        form=Form.PAGE,
        summary="The phases, what each event needs and who helps, in one page.",
        body=HANDBOOK,
        event_keys=("local-launch", "needs-assessment-workshop"),
    )
    added += _add(
        programme,
        "Needs assessment workshop: the facilitator's plan",
        thematic,
        kind=Kind.THEMATIC,
        form=Form.PAGE,
        summary="Preparation, a three-hour agenda and what to do afterwards.",
        body=WORKSHOP,
        event_keys=("needs-assessment-workshop",),
    )
    added += _add(
        programme,
        "The Intelligent Cities Challenge website",
        organiser,
        kind=Kind.GUIDANCE,
        form=Form.LINK,
        url="https://www.intelligentcitieschallenge.eu/",
        summary="News, city stories and the programme's public reports.",
    )
    tag = Tag.objects.filter(programme=programme, mentor__roles__person=mentor).first()
    if tag is not None:
        added += _add(
            programme,
            "How we run our TAG working sessions",
            mentor,
            kind=Kind.MENTOR_RESOURCE,
            form=Form.PAGE,
            summary="A mentor city's routine for a session that ends with commitments.",
            body=MENTOR_NOTE,
            audience=Audience.TAG,
            audience_tag=tag,
            event_keys=("tag-working-session",),
        )
    accepted = Submission.objects.filter(city__roles__person=rep, status=SubmissionStatus.ACCEPTED).distinct()
    for submission in accepted:
        if actions.is_final(submission) and not Item.objects.filter(source=submission).exists():
            actions.offer_deliverable(submission=submission, by=rep)
            added += 1
            break
    return added
