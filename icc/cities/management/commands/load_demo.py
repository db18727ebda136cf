"""Load (or refresh) the demo programme through the same CSV import a programme office uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from icc.accounts.models import Person
from icc.assessments.actions import load_default_instruments
from icc.assessments.demo import record_demo_indicators, record_demo_responses, record_demo_survey
from icc.assessments.indicators import load_indicator_library
from icc.channels.demo import record_demo_channels
from icc.cities import demo
from icc.cities.imports import import_cities, import_people
from icc.consultations.demo import record_demo_consultations
from icc.dashboard.demo import record_demo_dashboard
from icc.ecosystem.demo import record_demo_ecosystem
from icc.finance.demo import record_demo_finance
from icc.ideas.demo import record_demo_ideas
from icc.inbox.demo import record_demo_inbox
from icc.journey.actions import generate_schedules, install_template
from icc.journey.demo import record_demo_activity, record_demo_journey
from icc.library.demo import record_demo_library
from icc.marketplace.demo import record_demo_marketplace
from icc.opendata.demo import record_demo_opendata
from icc.procurement.demo import record_demo_procurement
from icc.programmes.actions import create_programme
from icc.programmes.models import Programme
from icc.public.demo import record_demo_publications
from icc.reports.actions import refresh_risks
from icc.roadmaps.demo import record_demo_roadmaps
from icc.search.indexing import rebuild as rebuild_search
from icc.tags.demo import record_demo_tags

SLUG = "icc-2025"


class Command(BaseCommand):
    help = "Load the demo programme: ~118 cities, their people and organisations. Running it again changes nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print the demo sign-ins.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(slug=SLUG).first() or create_programme(
            name="Intelligent Cities Challenge 2025–2027",
            slug=SLUG,
            first_month=dt.date(2025, 9, 1),
            description="A demo edition with the cohort shape of the Intelligent Cities Challenge.",
        )
        cities = demo.demo_cities()
        for label, result in (
            ("cities", import_cities(programme=programme, data=demo.cities_csv(cities), by=None, source=demo.SOURCE)),
            ("people", import_people(programme=programme, data=demo.people_csv(cities), by=None, source="demo cohort")),
        ):
            if not result.ok:
                raise CommandError("\n".join(str(e) for e in result.errors[:20]))
            self.stdout.write(
                f"{label}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
            )
        install_template(programme=programme)
        schedules = generate_schedules(programme=programme)
        self.stdout.write(
            f"schedules: {schedules.created} events created, {schedules.updated} moved, {schedules.kept} kept"
        )
        record_demo_activity(programme=programme)
        load_default_instruments(programme=programme)
        record_demo_responses(programme=programme)
        record_demo_survey(programme=programme)
        load_indicator_library(programme=programme)
        record_demo_indicators(programme=programme)
        roadmaps = record_demo_roadmaps(programme=programme)
        self.stdout.write(f"roadmaps: {roadmaps} cities given a strategy, roadmap and KPIs")
        self.stdout.write(f"ecosystem calls and expert visits: {record_demo_journey(programme=programme)} cities")
        calls = record_demo_finance(programme=programme)
        self.stdout.write(f"funding catalogue: {len(calls)} calls, matches worked out")
        tags = record_demo_tags(programme=programme)
        self.stdout.write(f"thematic action groups: {tags} formed")
        publications = record_demo_publications(programme=programme)
        self.stdout.write(f"public pages: {publications} cities published")
        consultations = record_demo_consultations(programme=programme)
        self.stdout.write(f"citizen consultations: {consultations} recorded")
        ideas = record_demo_ideas(programme=programme)
        self.stdout.write(f"calls for ideas: {ideas} recorded")
        library = record_demo_library(programme=programme)
        self.stdout.write(f"city toolbox: {library} items added")
        self.stdout.write(f"channels: {record_demo_channels(programme=programme)} messages written")
        self.stdout.write(f"marketplace: {record_demo_marketplace(programme=programme)} solutions added")
        self.stdout.write(f"local ecosystems: {record_demo_ecosystem(programme)} interviews recorded")
        self.stdout.write(f"innovation procurement: {record_demo_procurement(programme=programme)} plans")
        self.stdout.write(f"open data charter: {record_demo_opendata(programme=programme)} checklists")
        self.stdout.write(f"survey results released for the dashboard: {record_demo_dashboard(programme=programme)}")
        flagged = refresh_risks(programme=programme)
        self.stdout.write(f"early warning: {len(flagged)} cities flagged")
        self.stdout.write(f"inboxes: {record_demo_inbox(programme=programme)} notices added")
        # The CSV import and the demo write in bulk, past the signals that keep search in step.
        self.stdout.write(f"search entries: {rebuild_search()}")
        for email in demo.PERSONA_EMAILS.values():
            person = Person.objects.get(email=email)
            if not person.has_usable_password():
                person.set_password(demo.DEMO_PASSWORD)
                person.save(update_fields=["password"])
        if not options["quiet_sign_ins"]:
            self.stdout.write(self.style.SUCCESS(f"\nDemo sign-ins (password: {demo.DEMO_PASSWORD}):"))
            for persona, email in demo.PERSONA_EMAILS.items():
                self.stdout.write(f"  {persona.replace('_', ' '):<16} {email}")
