"""The demo's open data charter: version 1 (the ICC charter's shared core) published, the
demo city's checklist with its evidence, a few other cities further behind or ahead, and a
draft of version 2 the programme team is writing (it adds a principle on algorithms).

Written once; running the demo again finds version 1 and changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from icc.accounts.models import Person
from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import City, RoleKind
from icc.opendata import actions
from icc.opendata.models import Charter, Principle, Status
from icc.programmes.models import Programme

# The demo city's answers, by principle key: status, link, evidence.
DEMO_CITY: dict[str, tuple[str, str, str]] = {
    "open-by-default": (
        Status.MET,
        "https://data.europa.eu/en",
        "142 datasets on the city portal under CC BY 4.0, harvested by data.europa.eu; the council decision "
        "of March makes publication the default.",
    ),
    "data-governance": (
        Status.MET,
        "",
        "A data coordinator in the digital office since January; 11 departments named their dataset owners; "
        "the data group meets every quarter.",
    ),
    "dialogue": (Status.IN_PROGRESS, "", "First open session with re-users planned with the university's hackathon."),
    "data-clauses": (
        Status.IN_PROGRESS,
        "",
        "The data ownership clause is in the street lighting tender; the template for all tenders goes to the "
        "procurement board next month.",
    ),
    "no-lock-in": (Status.NOT_YET, "", "Parking data still sit with the operator until its contract ends in 2027."),
    "interoperability": (
        Status.MET,
        "https://smartdatamodels.org",
        "The urban data platform runs an NGSI-LD context broker (MIM1) with Smart Data Models (MIM2) for air "
        "quality and parking.",
    ),
    "linked-not-rekeyed": (Status.IN_PROGRESS, "", "Waste figures go to the region by API since May; energy next."),
    "silos": (Status.MET, "", "Mobility, environment and energy data on one platform, with a DCAT-AP catalogue."),
    "partners-share": (Status.NOT_YET, "", ""),
    "privacy-security": (
        Status.MET,
        "",
        "Every dataset passes the anonymisation check of the data protection officer before publication.",
    ),
}
# Other cities: how many principles (in charter order) are met, then in progress.
OTHERS = [(3, 2), (6, 1), (1, 4), (5, 3)]

ALGORITHMS = {
    "key": "algorithms",
    "title": "Algorithms the city uses are explained",
    "statement": "Where the city's decisions rest on algorithms or AI trained on city data, the city publishes "
    "what they do, which data they use and whom to ask.",
    "clause": "“The contractor documents the purpose, the data and the logic of any algorithm used to deliver the "
    "service, for publication in the City's algorithm register.”",
    "standards": "Algorithmic transparency standard (algorithm register)",
}


@transaction.atomic
def record_demo_opendata(programme: Programme) -> int:
    """The demo's charter and checklists; returns how many cities answered (0 when there already)."""
    if Charter.objects.filter(programme=programme).exists():
        return 0
    organiser = Person.objects.filter(email=PERSONA_EMAILS["organiser"]).first()
    rep = Person.objects.filter(email=PERSONA_EMAILS["city_rep"]).first()
    if organiser is None:
        return 0
    draft = actions.start_draft(programme=programme, by=organiser)
    actions.publish(charter=draft, by=organiser)
    charter = Charter.objects.get(pk=draft.pk)
    principles = list(charter.principles.all())
    city = (
        City.objects.filter(roles__person=rep, roles__kind=RoleKind.CITY_REP, programme=programme).first()
        if rep is not None
        else None
    )
    answered = 0
    if city is not None and rep is not None:
        answers = {p.pk: actions.Answer(*DEMO_CITY.get(p.key, (Status.NOT_YET, "", ""))) for p in principles}
        actions.save_checklist(city=city, charter=charter, answers=answers, expected=0, by=rep)
        answered += 1
    others = City.objects.filter(programme=programme).exclude(pk=city.pk if city else 0).order_by("name")
    for other, (met, progress) in zip(others, OTHERS, strict=False):
        answers = {}
        for n, p in enumerate(principles):
            status = Status.MET if n < met else Status.IN_PROGRESS if n < met + progress else Status.NOT_YET
            answers[p.pk] = actions.Answer(status, "", "")
        actions.save_checklist(city=other, charter=charter, answers=answers, expected=0, by=organiser)
        answered += 1
    # The programme team drafts version 2: one principle more.
    second = actions.start_draft(programme=programme, by=organiser)
    last = max(p.order for p in second.principles.all())
    actions.save_principle(principle=Principle(charter=second, order=last + 10, **ALGORITHMS), by=organiser)
    return answered
