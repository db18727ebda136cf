"""The demo's local ecosystems: each core city with a lead expert gets its organisations
mapped, a few contacts (clearly fictional names, example.org addresses), interviews with
their summaries and insights; the demo lead expert's city also gets sensitive notes she
wrote herself, so that signing in as her shows them and as its representative does not.

Running it again changes nothing: what exists is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import City, CityType, Organisation, Role, RoleKind
from icc.ecosystem import vocabulary
from icc.ecosystem.models import Commitment, Contact, Insight, Interview, InterviewStatus, SensitiveNote, Stakeholder
from icc.programmes.models import Programme

# By sector: role in the ecosystem, influence, interest, commitment, champion.
PROFILES = {
    "innovation-hub": ("connector", 3, 5, Commitment.HIGH, True),
    "knowledge": ("knowledge", 4, 4, Commitment.MEDIUM, False),
    "city-technology": ("infrastructure", 4, 5, Commitment.HIGH, True),
    "utility": ("infrastructure", 5, 2, Commitment.LOW, False),
    "transport": ("provider", 4, 3, Commitment.UNKNOWN, False),
    "civic": ("voice", 2, 4, Commitment.MEDIUM, False),
}
PEOPLE = {
    "innovation-hub": ("Ines Fictitious", "Programme director"),
    "knowledge": ("Prof. Ola Madeup", "Vice-rector for innovation"),
    "city-technology": ("Dan Notreal", "Chief data officer"),
    "utility": ("Una Invented", "Head of business relations"),
    "transport": ("Tor Imaginary", "Head of digital services"),
    "civic": ("Cleo Pretend", "Community coordinator"),
}
# By sector: the summary shared with the city's team, and its insights (text, enabler, use the city's track).
INTERVIEWS = {
    "innovation-hub": (
        "The hub runs two accelerator cohorts a year and would open its demo days to the city's challenges. "
        "Start-ups find it hard to test in public spaces; a simple permit for pilots would help. Ready to "
        "co-host the local ecosystem workshop.",
        [
            ("Start-ups lack a quick way to pilot in public spaces", "local-capabilities", True),
            ("The hub offers its demo days for the city's challenges", "stakeholder-networks", False),
        ],
    ),
    "knowledge": (
        "The university's urban data lab has three PhD projects on mobility and energy. It wants access to the "
        "city's sensor data and could train city staff in data analysis through a short course.",
        [
            ("City staff need training in data analysis", "skills", False),
            ("Researchers ask for the city's sensor data under a clear licence", "data", True),
        ],
    ),
    "utility": (
        "The utility is rolling out smart meters and is cautious about sharing consumption data. It would join "
        "a pilot on street lighting if the contract model is clear.",
        [("A shared data agreement is the condition for the utility to take part", "data", True)],
    ),
}
# Kept by the demo lead expert, never shown to the city's representatives.
NOTES = {
    "utility": "The board is split on the smart-meter budget; do not raise the tariff question in the workshop.",
    "knowledge": "The vice-rector is leaving in the summer: agree the data course with her deputy as well.",
}
CITIES = 5


def _cities(programme: Programme) -> list[tuple[City, Role]]:
    leads = (
        Role.objects.filter(programme=programme, kind=RoleKind.LEAD_EXPERT, city__type=CityType.EU_CORE)
        .select_related("city", "person")
        .order_by("city__name")
    )
    chosen = [r for r in leads if r.person.email == PERSONA_EMAILS["lead_expert"]]
    chosen += [r for r in leads if r not in chosen][: CITIES - len(chosen)]
    return [(role.city, role) for role in chosen if role.city is not None]


@transaction.atomic
def record_demo_ecosystem(programme: Programme) -> int:
    """Give the demo cities their stakeholder maps and interviews; return how many interviews were added."""
    start = programme.starts_on or dt.date(2026, 1, 12)
    enablers = {code for code, _title in vocabulary.enablers(programme)}
    added = 0
    for index, (city, lead) in enumerate(_cities(programme)):
        demo_lead = lead.person.email == PERSONA_EMAILS["lead_expert"]
        for organisation in Organisation.objects.filter(city=city).order_by("name"):
            profile = PROFILES.get(organisation.sector)
            if profile is None:
                continue
            role, influence, interest, commitment, champion = profile
            Stakeholder.objects.get_or_create(
                organisation=organisation,
                defaults={
                    "role": role,
                    "influence": influence,
                    "interest": interest,
                    "commitment": commitment,
                    "champion": champion,
                    "version": 1,
                },
            )
            name, title = PEOPLE[organisation.sector]
            slug = organisation.sector.replace("-", ".")
            contact, _created = Contact.objects.get_or_create(
                organisation=organisation,
                name=name,
                defaults={"title": title, "email": f"{slug}.{city.pk}@example.org"},
            )
            script = INTERVIEWS.get(organisation.sector)
            if script is None or Interview.objects.filter(organisation=organisation).exists():
                continue
            summary, insights = script
            held = start + dt.timedelta(days=20 + index + 3 * len(Interview.objects.filter(city=city)))
            interview = Interview.objects.create(
                city=city,
                organisation=organisation,
                contact=contact,
                interviewer=lead.person,
                planned_on=held,
                held_on=held,
                status=InterviewStatus.HELD,
                summary=summary,
                created_by=lead.person,
                version=1,
            )
            added += 1
            for text, enabler, on_track in insights:
                Insight.objects.create(
                    interview=interview,
                    text=text,
                    enabler=enabler if enabler in enablers else "",
                    theme=city.track if on_track or enabler not in enablers else None,
                    added_by=lead.person,
                )
            if demo_lead and organisation.sector in NOTES:
                SensitiveNote.objects.create(interview=interview, author=lead.person, text=NOTES[organisation.sector])
        transport = Organisation.objects.filter(city=city, sector="transport").first()
        if transport is not None and not Interview.objects.filter(organisation=transport).exists():
            Interview.objects.create(
                city=city,
                organisation=transport,
                contact=transport.contacts.first(),
                interviewer=lead.person,
                planned_on=start + dt.timedelta(days=45 + index),
                created_by=lead.person,
                version=1,
            )
            added += 1
    return added
