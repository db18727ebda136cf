"""Demo strategies, roadmaps and KPIs for the core cities, a year into implementation.

Everything is derived from the city's name, so a second run produces the same cohort,
and cities that already have a strategy are left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from icc.assessments.models import Direction, Indicator, IndicatorValue, MaturityRating, Round
from icc.cities.models import CORE_TYPES, City, Organisation, Role, RoleKind
from icc.programmes.models import Cycle, Programme
from icc.roadmaps import actions
from icc.roadmaps.models import (
    KPI,
    Action,
    ActionKind,
    ActionStatus,
    Detail,
    Frequency,
    FundingSource,
    FundingStatus,
    Measurement,
    Nature,
    Opportunity,
    Solution,
    Strategy,
    StrategyVersion,
)

# Per track: solutions, then opportunities with the need behind them and three actions each.
CONTENT: dict[str, dict[str, list]] = {
    "green-economy": {
        "solutions": [
            "Smart building energy management",
            "Urban heat and air sensor network",
            "Circular materials marketplace",
            "District heating optimisation",
        ],
        "opportunities": [
            (
                "Cut energy use in public buildings",
                "Public buildings use a third of the city's energy budget.",
                [
                    "Audit the 40 largest public buildings",
                    "Install smart meters in schools",
                    "Retrofit plan for the town hall",
                ],
            ),
            (
                "A local green deal with businesses",
                "Companies want to decarbonise but lack a common plan.",
                ["Sign the local green deal charter", "Green deal matchmaking events", "Shared solar roofs pilot"],
            ),
            (
                "Cleaner air around schools",
                "Nitrogen dioxide peaks near schools at drop-off time.",
                ["School streets pilot", "Air sensors at 20 schools", "Publish air quality open data"],
            ),
        ],
    },
    "citizen-participation": {
        "solutions": [
            "Participatory budgeting platform",
            "Once-only digital services portal",
            "Open data portal",
            "Digital identity for city services",
        ],
        "opportunities": [
            (
                "Citizens shape the city budget",
                "Turnout in local consultations is below 5 %.",
                ["Launch participatory budgeting", "Neighbourhood idea workshops", "Report back on funded ideas"],
            ),
            (
                "Public services online end to end",
                "Half of the city's forms still need a visit.",
                [
                    "Digitise the 20 most used forms",
                    "Single sign-on for residents",
                    "Accessibility audit of e-services",
                ],
            ),
            (
                "Open data that people use",
                "Datasets are published but rarely reused.",
                ["Publish 30 priority datasets", "Open data hackathon", "Data literacy sessions for staff"],
            ),
        ],
    },
    "skills": {
        "solutions": [
            "Skills intelligence dashboard",
            "Online learning platform for SMEs",
            "Digital skills bootcamps",
            "Apprenticeship matching service",
        ],
        "opportunities": [
            (
                "Digital skills for SME staff",
                "Local SMEs report unfilled digital roles.",
                ["Skills needs survey of SMEs", "Bootcamp for 200 employees", "Mentoring scheme with the university"],
            ),
            (
                "Reskilling for the green transition",
                "Jobs in construction need energy retrofit skills.",
                ["Retrofit skills course", "Partnership with the vocational school", "Green jobs fair"],
            ),
            (
                "Keep young talent in the city",
                "Graduates leave for larger cities.",
                ["Graduate placement programme", "Start-up traineeships", "Talent attraction campaign"],
            ),
        ],
    },
    "supply-chains": {
        "solutions": [
            "Urban consolidation centre",
            "Cargo bike logistics",
            "Freight data platform",
            "Smart loading bays",
        ],
        "opportunities": [
            (
                "Fewer vans in the historic centre",
                "Delivery traffic blocks the centre every morning.",
                ["Consolidation centre feasibility study", "Cargo bike delivery pilot", "Time windows for deliveries"],
            ),
            (
                "Resilient local supply chains",
                "Local firms depend on single distant suppliers.",
                ["Map critical local suppliers", "Supplier matchmaking platform", "Joint purchasing for SMEs"],
            ),
            (
                "Data-driven freight planning",
                "The city has no data on freight flows.",
                ["Freight counts at city gates", "Freight data sharing agreement", "Smart loading bays pilot"],
            ),
        ],
    },
    "tourism": {
        "solutions": [
            "Visitor flow monitoring",
            "Digital destination platform",
            "Sustainable tourism label",
            "Smart ticketing",
        ],
        "opportunities": [
            (
                "Spread visitors across the city",
                "A few streets take most visitors in summer.",
                ["Visitor flow sensors", "Alternative routes campaign", "Off-season events calendar"],
            ),
            (
                "Greener stays and trips",
                "Tourism is a large share of local emissions.",
                [
                    "Sustainable tourism label for hotels",
                    "Public transport pass for visitors",
                    "Bike sharing at the station",
                ],
            ),
            (
                "Digital tools for small tourism firms",
                "Small firms miss online bookings.",
                ["Destination booking platform", "Digital marketing training", "Shared visitor data dashboard"],
            ),
        ],
    },
}


def _number(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


@transaction.atomic
def record_demo_roadmaps(*, programme: Programme, today: dt.date | None = None) -> int:
    """Give every core city with a track a strategy, a roadmap and KPIs. Returns how many got one."""
    today = today or timezone.localdate()
    cycles = list(Cycle.objects.filter(programme=programme))
    if not cycles:
        return 0
    done = set(Strategy.objects.filter(city__programme=programme).values_list("city_id", flat=True))
    cities = (
        City.objects.filter(programme=programme, track__isnull=False)
        .filter(type__in=CORE_TYPES)
        .exclude(pk__in=done)
        .select_related("track")
    )
    indicators: dict[int, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(programme=programme):
        indicators.setdefault(indicator.theme_id, []).append(indicator)
    count = 0
    for city in cities:
        content = CONTENT.get(city.track.slug) if city.track else None
        if content is None:
            continue
        _city_roadmap(city, content, cycles, indicators.get(city.track_id or 0, []), today)
        count += 1
    return count


def _city_roadmap(
    city: City, content: dict[str, list], cycles: list[Cycle], library: list[Indicator], today: dt.date
) -> None:
    roles = list(Role.objects.filter(city=city).select_related("person"))
    rep = next((r.person for r in roles if r.kind == RoleKind.CITY_REP), None)
    lead = next((r.person for r in roles if r.kind == RoleKind.LEAD_EXPERT), None)
    mayor = next((r.person for r in roles if r.kind == RoleKind.MAYOR), None)
    people = [r.person for r in roles if r.kind in (RoleKind.CITY_REP, RoleKind.STAKEHOLDER)]
    organisations = list(Organisation.objects.filter(city=city))
    stakeholder_orgs = [r.organisation for r in roles if r.kind == RoleKind.STAKEHOLDER and r.organisation]
    theme = city.track.name if city.track else ""

    strategy = Strategy(
        city=city,
        vision=f"{city.name} uses data and technology to deliver on {theme.lower()} for every resident by 2030.",
        short_term_goals="Deliver two accelerated impact actions in the first cycle and set up KPI monitoring.",
        long_term_goals="Scale the priority solutions city-wide and halve the gap to the targets by 2030.",
        ecosystem_role="The university, utilities and business associations co-own actions and report on them.",
    )
    if rep is not None:
        version = actions.save_strategy(strategy=strategy, expected_version=0, by=rep)
        if lead is not None:
            actions.comment_on_strategy(
                version=version, body="Good start. Make the targets of the second goal measurable.", by=lead
            )

    solutions = []
    for index, name in enumerate(content["solutions"]):
        n = _number(city.name, name)
        MaturityRating.objects.get_or_create(
            city=city, round=Round.BASELINE, solution=name, defaults={"level": n % 3, "target": 2 + n % 3}
        )
        solutions.append(Solution.objects.create(city=city, name=name, priority=index < 3))
    StrategyVersion.objects.filter(strategy=strategy).update(priority_solutions=[s.name for s in solutions[:3]])

    kpis = []
    baselines = {v.indicator_id: v for v in IndicatorValue.objects.filter(city=city, round=Round.BASELINE)}
    start = cycles[0].starts_on
    for indicator in library[:4]:
        value = baselines.get(indicator.pk)
        base = Decimal(value.value) if value else Decimal(40 + _number(city.name, indicator.key) % 50)
        up = indicator.direction == Direction.UP
        step = (base * Decimal("0.25")).quantize(Decimal("0.01")) or Decimal(1)
        kpi = KPI.objects.create(
            city=city,
            indicator=indicator,
            name=indicator.name,
            unit=indicator.unit,
            direction=indicator.direction,
            baseline_value=base,
            baseline_date=start - dt.timedelta(days=30),
            baseline_source=value.source if value else "City statistics office",
            target_value=base + step if up else max(base - step, Decimal(0)),
            target_date=cycles[-1].ends_on + dt.timedelta(days=365),
            frequency=Frequency.MONTHLY,
            version=1,
        )
        kpis.append(kpi)
        _measurements(city, kpi, step, up, cycles, today, rep)

    all_actions = []
    for o_index, (title, need, action_titles) in enumerate(content["opportunities"]):
        opportunity = Opportunity.objects.create(city=city, title=title, need=need, rank=o_index + 1)
        for a_index, action_title in enumerate(action_titles):
            cycle = cycles[min(a_index, len(cycles) - 1)]
            n = _number(city.name, action_title)
            length = 60 + n % 90
            begins = cycle.starts_on + dt.timedelta(days=n % 30)
            accelerated = o_index == 0 and a_index == 0
            owner_org = stakeholder_orgs[0] if (o_index, a_index) == (1, 0) and stakeholder_orgs else None
            if owner_org is None and organisations and n % 3 == 0:
                owner_org = organisations[n % len(organisations)]
            owner_person = None if owner_org else (people[n % len(people)] if people else None)
            if owner_org is None and owner_person is None:
                continue
            action = Action.objects.create(
                city=city,
                opportunity=opportunity,
                title=action_title,
                kind=ActionKind.ACCELERATED
                if accelerated
                else (ActionKind.BIG_MOVE if a_index == 2 else ActionKind.ACTION),
                detail=Detail.DETAILED if cycle.starts_on <= today else Detail.HIGH_LEVEL,
                owner_person=owner_person,
                owner_organisation=owner_org,
                starts_on=begins,
                ends_on=min(begins + dt.timedelta(days=length), cycle.ends_on),
                cycle=cycle,
                budget=Decimal(5000 * (1 + n % 40)),
                funding_source=[FundingSource.OWN, FundingSource.EU, FundingSource.NATIONAL, FundingSource.PRIVATE][
                    n % 4
                ],
                funding_status=[FundingStatus.SECURED, FundingStatus.APPLIED, FundingStatus.PLANNED][n % 3],
                enablers=[["data", "skills", "finance", "leadership"][n % 4]],
                quick=accelerated,
                limited_investment=accelerated,
                measurable=accelerated,
                nature=[Nature.BUY_IN, Nature.QUICK_RESULTS] if accelerated else [],
                version=1,
            )
            action.kpis.set([kpis[(o_index + a_index) % len(kpis)]] if kpis else [])
            action.solutions.set([solutions[o_index % 3]])
            all_actions.append(action)
    for previous, following in itertools.pairwise(all_actions):
        if previous.opportunity_id == following.opportunity_id:
            following.depends_on.add(previous)

    # Plans kept at the start of each cycle that has begun; then what actually happened.
    for cycle in cycles:
        if cycle.starts_on > today or rep is None:
            continue
        actions.confirm_cycle_plan(
            city=city, cycle=cycle, review="Reviewed with the lead expert at the cycle planning session.", by=rep
        )
        if mayor is not None:
            actions.sign_off_budget(city=city, cycle=cycle, by=mayor)
    for action in all_actions:
        n = _number(city.name, action.title, "outcome")
        if action.ends_on < today:
            status = ActionStatus.DELAYED if n % 7 == 0 else ActionStatus.DONE
        elif action.starts_on <= today:
            status = ActionStatus.IN_PROGRESS
        else:
            status = ActionStatus.PLANNED
        spent = None
        if status in (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.DELAYED) and action.budget:
            spent = (action.budget * Decimal(60 + n % 50) / 100).quantize(Decimal("1"))
        Action.objects.filter(pk=action.pk).update(status=status, spent=spent)


def _measurements(
    city: City, kpi: KPI, step: Decimal, up: bool, cycles: list[Cycle], today: dt.date, by: object
) -> None:
    """Monthly values since the start of the cycles, trending towards the target at a city-specific pace."""
    pace = Decimal(_number(city.name, kpi.name, "pace") % 140 - 30) / 100  # from -0.3 to 1.1 of the needed pace
    skip_last_cycle = _number(city.name, kpi.name, "late") % 4 == 0
    span = (kpi.target_date - kpi.baseline_date).days
    last_ended = max((c for c in cycles if c.ends_on < today), key=lambda c: c.number, default=None)
    rows = []
    day = dt.date(kpi.baseline_date.year, kpi.baseline_date.month, 1) + dt.timedelta(days=45)
    day = day.replace(day=1)
    while day <= today:
        if skip_last_cycle and last_ended and last_ended.starts_on <= day <= last_ended.ends_on:
            day = (day + dt.timedelta(days=32)).replace(day=1)
            continue
        share = Decimal((day - kpi.baseline_date).days) / span
        wobble = Decimal(_number(city.name, kpi.name, day.isoformat()) % 7 - 3) / 100 * step
        change = step * share * pace + wobble
        value = kpi.baseline_value + change if up else kpi.baseline_value - change
        rows.append(
            Measurement(
                kpi=kpi,
                date=day,
                value=max(value, Decimal(0)).quantize(Decimal("0.01")),
                source="City statistics office",
                entered_by=by,  # type: ignore[misc]
            )
        )
        day = (day + dt.timedelta(days=32)).replace(day=1)
    Measurement.objects.bulk_create(rows)
