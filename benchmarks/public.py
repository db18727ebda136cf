"""Public side benchmark: a poll announced on the evening news, and the public dashboards.

Run from the repository root:  .venv/bin/python benchmarks/public.py  (--help for the flags)

For SQLite (the embedded default, WAL) and then PostgreSQL, it builds a fresh database with
production settings, loads the demo programme, starts gunicorn as benchmarks/load.py does and:

1. answers an open quick poll of a published demo city through its public answer page with
   wrk (benchmarks/votes.lua): every request a new browser, every 20th a replay of a browser
   that has already answered, which must be refused; afterwards the answers stored are
   counted and compared with the answers wrk saw accepted;
2. loads the city's and the programme's public dashboards and the site's stylesheet,
   anonymously, and compares each page's p95 with the static file's;
3. records a new value of a KPI the city publishes and asks for the city dashboard, without
   any cache, until the value shows.

The figures are printed with the targets and written to benchmarks/.work/public-results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.cookiejar
import json
import os
import resource
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import load
from benchmarks.load import HOST, MIB, REPO, WORK, BenchmarkError

VOTES_SCRIPT = REPO / "benchmarks" / "votes.lua"
SQLITE_FILE = WORK / "public.sqlite3"
RESULTS = WORK / "public-results.json"
POSTGRES_NAME = "icc_bench_public"
LANGUAGE = "en"
# What the issue asks for.
TARGET_RATE = 300.0
TARGET_P99_MS = 100.0
TARGET_RATIO = 5.0
TARGET_FRESH_S = 60.0


# --- command line -------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        description="Benchmark the public side: poll answers under load, the public dashboards, KPI freshness."
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds of measured poll answers (default: 60)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=5,
        help="seconds of unmeasured load before each run; the first request of each worker loads the URL map (default: 5)",
    )
    parser.add_argument(
        "--dashboard-duration", type=int, default=10, help="seconds of measured load per dashboard URL (default: 10)"
    )
    parser.add_argument("--connections", type=int, default=8, help="open wrk connections (default: 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default: 2)")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * cores + 1,
        help=f"gunicorn sync workers (default: 2 x cores + 1 = {2 * cores + 1}, as benchmarks/load.py)",
    )
    parser.add_argument(
        "--replay-every", type=int, default=20, help="every Nth answer replays a counted browser (default: 20, 5%%)"
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql", "both"],
        default="both",
        help="which database to run on (default: both, SQLite first)",
    )
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server; the benchmark creates and drops its own database "
        f"{POSTGRES_NAME!r} there (default: postgres://postgres@127.0.0.1:5432)",
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="SQLite: keep the database of an earlier run if there is one (migrated again, demo not reloaded)",
    )
    parser.add_argument(
        "--freshness-timeout",
        type=int,
        default=120,
        help="give up waiting for the new KPI value after (default: 120 s)",
    )
    args = parser.parse_args()
    if min(args.duration, args.dashboard_duration, args.workers, args.threads, args.freshness_timeout) < 1:
        parser.error("--duration, --dashboard-duration, --workers, --threads and --freshness-timeout must be ≥ 1")
    if args.warmup < 0 or args.replay_every < 0:
        parser.error("--warmup and --replay-every must be at least 0")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads (wrk needs one connection per thread)")
    return args


# --- steps that run inside Django, in a process of their own ----------------------------------
#
# The benchmark runs the same steps against two databases, and Django's settings are read
# once per process; so every step that needs the ORM runs in a short child process with the
# run's environment, and answers one line of JSON.


def django_step(name: str, **params: Any) -> dict[str, Any]:
    code = "from benchmarks.public import step_main; step_main()"
    completed = subprocess.run(
        [sys.executable, "-c", code, name, json.dumps(params)],
        cwd=REPO,
        env=os.environ,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchmarkError(f"the step {name!r} failed:\n{completed.stdout[-2000:]}{completed.stderr[-4000:]}")
    answer: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return answer


def step_main() -> None:
    import django

    django.setup()
    name, params = sys.argv[1], json.loads(sys.argv[2])
    steps: dict[str, Callable[..., dict[str, Any]]] = {
        "prepare": step_prepare,
        "count": step_count,
        "measure": step_measure,
    }
    print(json.dumps(steps[name](**params)))


def _run_demo_functions() -> list[str]:
    """Call the public apps' demo functions; each is idempotent, so a second call changes nothing."""
    import importlib
    import inspect

    from icc.programmes.models import Programme

    programme = Programme.objects.get(slug=load.SLUG)
    called = []
    for app in ("public", "consultations", "ideas"):
        try:
            module = importlib.import_module(f"icc.{app}.demo")
        except ModuleNotFoundError:
            continue
        for attribute, function in sorted(vars(module).items()):
            if (
                attribute.startswith("record_demo_")
                and inspect.isfunction(function)
                and function.__module__ == module.__name__
            ):
                function(programme=programme)
                called.append(f"icc.{app}.demo.{attribute}")
    return called


def step_prepare() -> dict[str, Any]:
    """The URLs to load, the poll to answer and the KPI to measure; the settings in use."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db import connection
    from django.urls import reverse
    from django.utils import translation

    from icc.public.models import Publication

    demo_functions = _run_demo_functions()
    poll = _open_poll()
    # The poll's city if it publishes a KPI, else the first published city that does.
    candidates = Publication.objects.filter(programme__slug=load.SLUG, published=True, kpis__isnull=False)
    publication = candidates.filter(pk=poll["publication"]).first() or candidates.order_by("pk").first()
    if publication is None:
        raise BenchmarkError("no published demo city publishes a KPI")
    kpi = publication.kpis.order_by("pk").first()
    assert kpi is not None
    kwargs = {"programme": publication.programme.slug, "city": publication.slug}
    with translation.override(LANGUAGE):
        city_dashboard = reverse("public:city_dashboard", kwargs=kwargs)
        programme_dashboard = reverse("public:programme", kwargs={"programme": publication.programme.slug})
    database = settings.DATABASES["default"]
    used = {
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "DEBUG": settings.DEBUG,
        "SECRET_KEY": "generated for this run",
        "DATABASE": f"{database['ENGINE']} {database['NAME']}",
        "CONN_MAX_AGE": database["CONN_MAX_AGE"],
        "CACHE": settings.CACHES["default"]["BACKEND"],
        "ICC_PUBLIC_SUBMISSIONS_PER_HOUR": settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR,
    }
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            used["SQLITE_JOURNAL_MODE"] = cursor.fetchone()[0]
    from icc.public.participation import VISITOR_COOKIE

    return {
        "visitor_cookie": VISITOR_COOKIE,
        "demo_functions": demo_functions,
        "city": f"{publication.city.name} ({publication.city.country})",
        "poll": poll,
        "kpi": {"pk": kpi.pk, "name": kpi.name},
        "city_dashboard": city_dashboard,
        "programme_dashboard": programme_dashboard,
        "static": staticfiles_storage.url("core/site.css"),
        "settings": used,
    }


def _organiser() -> Any:
    from icc.accounts.models import Person
    from icc.cities import demo

    return Person.objects.get(email=demo.PERSONA_EMAILS["organiser"])


def _open_poll() -> dict[str, Any]:
    """The demo's open quick poll of a published city, or one opened now through the app's actions."""
    from django.urls import reverse
    from django.utils import timezone, translation

    from icc.consultations import actions
    from icc.consultations.models import Consultation, Kind, Status
    from icc.public.models import Publication

    now = timezone.now()
    published = Publication.objects.filter(programme__slug=load.SLUG, published=True)
    polls = Consultation.objects.filter(
        kind=Kind.POLL,
        status=Status.OPEN,
        opens_at__lte=now,
        closes_at__gt=now,
        needs_confirmation=False,
        city__publication__in=published,
    )
    poll = polls.order_by("pk").first()
    how = "an open quick poll already in the database: the demo's, or an earlier run's"
    if poll is None:
        publication = published.select_related("city").order_by("pk").first()
        if publication is None:
            raise BenchmarkError("the demo publishes no city")
        by = _organiser()
        draft = actions.create_consultation(
            city=publication.city, start="transport-app", title={}, languages=publication.written_languages, by=by
        )
        actions.save_settings(
            consultation=draft,
            title=draft.title,
            introduction=draft.introduction,
            opens_at=now,
            closes_at=now + dt.timedelta(days=7),
            needs_confirmation=False,
            personal_data_until=None,
            by=by,
        )
        poll = actions.open_consultation(consultation=draft, default_language=publication.default_language, by=by)
        how = "no open demo poll: opened for the run through icc.consultations.actions"
    publication = Publication.objects.select_related("programme").get(city_id=poll.city_id)
    kwargs = {"programme": publication.programme.slug, "city": publication.slug, "pk": poll.pk}
    with translation.override(LANGUAGE):
        page = reverse("public:consultation", kwargs=kwargs)
    title = poll.title.get(LANGUAGE) or poll.title.get(publication.default_language) or str(poll)
    return {"pk": poll.pk, "title": title, "page": page, "how": how, "publication": publication.pk}


def step_count(poll: int) -> dict[str, Any]:
    """The answers stored for the poll, and from how many different browsers."""
    from icc.consultations.models import Submission

    stored = Submission.objects.filter(consultation_id=poll)
    return {"stored": stored.count(), "distinct": stored.values("participant_key").distinct().count()}


def step_measure(kpi: int) -> dict[str, Any]:
    """Record a new latest value of the KPI through the roadmaps action; say what the page will show."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone, translation

    from icc.core.formatting import format_number
    from icc.roadmaps.actions import add_measurement
    from icc.roadmaps.models import KPI, Measurement

    measured = KPI.objects.get(pk=kpi)
    latest = measured.measurements.order_by("-date").first()
    day = timezone.localdate()
    if latest is not None and latest.date >= day:
        day = latest.date + dt.timedelta(days=1)
    # A value no other figure of the page has: the latest one, or the baseline, plus 7,777.77.
    value = (latest.value if latest else measured.baseline_value or Decimal(0)) + Decimal("7777.77")
    by = _organiser()
    with transaction.atomic():
        add_measurement(
            kpi=measured,
            measurement=Measurement(date=day, value=value, source="Benchmark: city statistics office"),
            by=by,
        )
    committed = time.time()
    with translation.override(LANGUAGE):
        texts = sorted({format_number(value, places) for places in (0, 1, 2)})
    return {"committed_at": committed, "value": str(value), "date": day.isoformat(), "texts": texts}


# --- the answer form, as a browser fills it -----------------------------------------------------


class FormReader(HTMLParser):
    """Collects the fields of the POST forms of a page: hidden values and the first choice of each."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": [], "seen": set(), "options": set()}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                if name not in self._form["seen"]:  # the first choice of each question
                    self._form["seen"].add(name)
                    self._form["fields"].append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                value = a.get("value", "")
                if not value and "required" in a:
                    value = "2" if kind == "number" else "Benchmark answer"
                self._form["fields"].append((name, value))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and self._select not in self._form["seen"] and a.get("value"):
            # A ranking is a select per place: each place gets a choice no other place took.
            if a["value"] not in self._form["options"]:
                self._form["seen"].add(self._select)
                self._form["options"].add(a["value"])
                self._form["fields"].append((self._select, a["value"]))
        elif tag == "textarea" and name:
            self._textarea = name
            if "required" in a:
                self._form["fields"].append((name, "Benchmark answer"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Browser:
    """A visitor's browser: its cookies, and no redirects followed."""

    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    cache_control: str = ""

    def open(self, url: str, data: dict[str, str] | list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of one request."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), load.NoRedirect)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Cache-Control": "no-cache"})
        try:
            with opener.open(request, timeout=30) as response:
                self.cache_control = response.headers.get("Cache-Control", "")
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            self.cache_control = error.headers.get("Cache-Control", "")
            return error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")
        except urllib.error.URLError as error:
            raise BenchmarkError(f"{url} did not answer: {error.reason}") from error

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


# --- where the CPU went ------------------------------------------------------------------------


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by gunicorn's master and its current workers."""
    try:
        master = psutil.Process(pid)
        processes = [master, *master.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = process.cpu_times()
            total += times.user + times.system
    return total


class CpuShare:
    """How many cores the server, wrk and everything else used while the block ran.

    The machine is shared: a test suite running beside the benchmark takes cores from
    the server, and this says how many.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.figures: dict[str, float] = {}

    def __enter__(self) -> CpuShare:
        self._started = time.monotonic()
        self._busy = self._system_busy()
        self._server = _tree_cpu(self.pid)
        self._children = self._waited_children()
        return self

    def __exit__(self, *exc: object) -> None:
        elapsed = time.monotonic() - self._started
        busy = self._system_busy() - self._busy
        server = _tree_cpu(self.pid) - self._server
        wrk = self._waited_children() - self._children
        self.figures = {
            "cores": float(psutil.cpu_count() or 1),
            "server_cores": round(server / elapsed, 2),
            "wrk_cores": round(wrk / elapsed, 2),
            "other_cores": round(max(busy - server - wrk, 0.0) / elapsed, 2),
        }

    @staticmethod
    def _system_busy() -> float:
        times = psutil.cpu_times()
        return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))

    @staticmethod
    def _waited_children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime


def cpu_words(figures: dict[str, float], requests_per_s: float) -> str:
    per_request = figures["server_cores"] * 1000 / requests_per_s if requests_per_s else 0.0
    return (
        f"CPU during the run: server {figures['server_cores']:.2f} cores ({per_request:.1f} ms a request), "
        f"wrk {figures['wrk_cores']:.2f}, other processes {figures['other_cores']:.2f} (of {figures['cores']:.0f})"
    )


# --- 1. poll answers under load ---------------------------------------------------------------

# Seconds at the end of each wrk run in which only replays are sent: wrk abandons the requests
# in flight when it stops, and an abandoned new answer could be stored without being counted.
TAIL_S = 1.0


@dataclass
class Ballot:
    """One valid answer to the poll, and how the server tells an accepted answer from a refused one."""

    page: str
    action: str
    fields: list[tuple[str, str]]
    csrf: str
    replay_cookie: str
    accepted: tuple[int, str]
    refused: tuple[int, str]


def _distinguish(
    accepted: tuple[int, str, str], refused: tuple[int, str, str]
) -> tuple[tuple[int, str], tuple[int, str]]:
    """(status, Location text) that tell the two answers apart in votes.lua."""
    if accepted[0] != refused[0]:
        return (accepted[0], ""), (refused[0], "")
    if accepted[1] != refused[1]:
        return (accepted[0], urllib.parse.urlsplit(accepted[1]).path), (
            refused[0],
            urllib.parse.urlsplit(refused[1]).path,
        )
    raise BenchmarkError(
        f"an accepted and a refused answer both get {accepted[0]} {accepted[1]!r}; votes.lua cannot tell them apart"
    )


def fill_ballot(base: str, page: str, poll: int, visitor_cookie: str) -> Ballot:
    """Answer the poll once as a browser would, then again from the same browser (refused)."""
    browser = Browser()
    status, _location, html = browser.open(f"{base}{page}")
    if status != 200:
        raise BenchmarkError(f"the poll's answer page {page} answered {status}")
    reader = FormReader()
    reader.feed(html)
    answer_forms = [
        f for f in reader.forms if urllib.parse.urlsplit(urllib.parse.urljoin(page, f["action"] or page)).path == page
    ]
    if not answer_forms:
        raise BenchmarkError(f"the poll's answer page {page} has no form that posts to itself")
    form = answer_forms[0]
    action = f"{base}{page}"
    csrf = browser.cookie("csrftoken")
    if csrf is None:
        raise BenchmarkError(f"the poll's answer page {page} set no csrftoken cookie")
    before = django_step("count", poll=poll)["stored"]
    first = browser.open(action, form["fields"])
    visitor = browser.cookie(visitor_cookie)
    if visitor is None or django_step("count", poll=poll)["stored"] != before + 1:
        raise BenchmarkError(
            f"a valid answer to {action} ({first[0]} {first[1]}) was not stored or gave no {visitor_cookie} cookie; "
            f"fields sent: {form['fields']}"
        )
    second = browser.open(action, form["fields"])
    if django_step("count", poll=poll)["stored"] != before + 1:
        raise BenchmarkError(f"a second answer from the same browser was stored ({second[0]} {second[1]})")
    accepted, refused = _distinguish(first, second)
    return Ballot(
        page=page,
        action=urllib.parse.urlsplit(action).path,
        fields=form["fields"],
        csrf=csrf,
        replay_cookie=f"{visitor_cookie}={visitor}",
        accepted=accepted,
        refused=refused,
    )


def run_votes(wrk: str, args: argparse.Namespace, base: str, ballot: Ballot, poll: int, pid: int) -> dict[str, Any]:
    options = argparse.Namespace(threads=args.threads, connections=args.connections)

    def run(seconds: int) -> dict[str, int]:
        script_args = (
            urllib.parse.urlencode(ballot.fields),
            ballot.csrf,
            ballot.replay_cookie,
            str(args.replay_every),
            str(seconds),
            str(ballot.accepted[0]),
            ballot.accepted[1],
            str(ballot.refused[0]),
            ballot.refused[1],
            str(TAIL_S),
        )
        return load.run_wrk(
            wrk, options, f"{base}{ballot.action}", "", seconds, script=VOTES_SCRIPT, script_args=script_args
        )

    print(f"==> poll answers: {args.warmup} s warm-up, {args.duration} s measured", flush=True)
    if args.warmup:
        run(args.warmup)
    time.sleep(0.5)  # let the server finish what wrk abandoned
    before = django_step("count", poll=poll)
    with load.RssSampler(pid) as sampler, CpuShare(pid) as cpu:
        raw = run(args.duration)
    time.sleep(0.5)
    after = django_step("count", poll=poll)
    duration = raw["duration_us"] / 1e6
    sockets = {key: raw[key] for key in ("connect", "read", "write", "timeout")}
    errors = raw["forbidden"] + raw["limited"] + raw["server_errors"] + raw["other"] + sum(sockets.values())
    stored = after["stored"] - before["stored"]
    return {
        "path": ballot.action,
        "fields": ballot.fields,
        "accepted_response": list(ballot.accepted),
        "refused_response": list(ballot.refused),
        "replay_every": args.replay_every,
        "tail_s": TAIL_S,
        "requests": raw["requests"],
        "duration_s": round(duration, 3),
        "requests_per_s": round(raw["requests"] / duration, 1),
        "accepted_per_s": round(raw["accepted"] / duration, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "sent": raw["sent"],
        "sent_new": raw["fresh"],
        "sent_replays": raw["replays"],
        "sent_replays_in_tail": raw["tail_replays"],
        "unanswered_at_stop": raw["sent"] - raw["requests"],
        "accepted": raw["accepted"],
        "refused": raw["refused"],
        "forbidden_403": raw["forbidden"],
        "rate_limited_429": raw["limited"],
        "server_errors_5xx": raw["server_errors"],
        "other_status": raw["other"],
        "last_other_status": raw["last_other"],
        "socket_errors": sockets,
        "errors": errors,
        "stored_before": before["stored"],
        "stored_after": after["stored"],
        "stored": stored,
        "distinct_browsers_after": after["distinct"],
        "stored_equals_accepted": stored == raw["accepted"],
        "peak_rss_mib": round(sampler.peak / MIB, 1),
        "cpu": cpu.figures,
    }


# --- 2. dashboards beside a static file ------------------------------------------------------


def run_dashboards(
    wrk: str, args: argparse.Namespace, base: str, prepared: dict[str, Any], pid: int
) -> list[dict[str, Any]]:
    targets = [
        load.Target(f"city dashboard, {prepared['city']}", prepared["city_dashboard"]),
        load.Target("programme dashboard", prepared["programme_dashboard"]),
        load.Target("static CSS", prepared["static"]),
    ]
    failures = [(t, problem) for t in targets if (problem := load.check(base, t, ""))]
    if failures:
        raise BenchmarkError("; ".join(f"{t.path} ({t.name}): {problem}" for t, problem in failures))
    options = argparse.Namespace(
        threads=args.threads, connections=args.connections, duration=args.dashboard_duration, warmup=args.warmup
    )
    results = []
    for target in targets:
        browser = Browser()
        browser.open(f"{base}{target.path}")
        with CpuShare(pid) as cpu:
            result = asdict(load.load(wrk, options, base, target, "", pid))
        result["cache_control"] = browser.cache_control
        result["cpu"] = cpu.figures
        results.append(result)
    static = results[-1]
    for result in results:
        result["p95_ratio_to_static"] = round(result["p95_ms"] / static["p95_ms"], 2) if static["p95_ms"] else None
    return results


# --- 3. a new KPI value on the city dashboard --------------------------------------------------


def run_freshness(base: str, prepared: dict[str, Any], timeout: int) -> dict[str, Any]:
    url = f"{base}{prepared['city_dashboard']}"
    kpi = prepared["kpi"]
    print(f"==> freshness: a new value of {kpi['name']!r}, then the city dashboard until it shows", flush=True)
    browser = Browser()
    status, _location, before = browser.open(url)
    if status != 200:
        raise BenchmarkError(f"{prepared['city_dashboard']} answered {status}")
    measured = django_step("measure", kpi=kpi["pk"])
    texts = measured["texts"]
    if any(text in before for text in texts):
        raise BenchmarkError(f"the city dashboard already shows {texts} before the new value was recorded")
    requests = 0
    while True:
        requests += 1
        status, _location, page = Browser().open(url)
        seen = time.time()
        if status == 200 and any(text in page for text in texts):
            break
        if seen - measured["committed_at"] > timeout:
            return {**measured, "kpi": kpi, "seconds": None, "requests": requests, "shown": False}
        time.sleep(0.2)
    return {
        **measured,
        "kpi": kpi,
        "seconds": round(seen - measured["committed_at"], 2),
        "requests": requests,
        "shown": True,
        "cache_control": browser.cache_control,
    }


# --- one database: build, serve, measure -------------------------------------------------------


def postgres_database(server: str, *, create: bool) -> str:
    """Drop the benchmark's own database on the server, and create it afresh if asked."""
    import psycopg
    from psycopg import sql

    name = sql.Identifier(POSTGRES_NAME)
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            if create:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    except psycopg.Error as error:
        raise BenchmarkError(f"PostgreSQL at {server}: {error}") from error
    return f"{server}/{POSTGRES_NAME}"


def run_on(database: str, wrk: str, args: argparse.Namespace) -> dict[str, Any]:
    setup_log = WORK / f"public-setup-{database}.log"
    server_log = WORK / f"public-gunicorn-{database}.log"
    if database == "sqlite":
        url, sqlite_file = f"sqlite:///{SQLITE_FILE}", SQLITE_FILE
    else:
        url, sqlite_file = postgres_database(args.postgres, create=True), None
    try:
        load.configure_environment(url)
        # Every request of the run comes from 127.0.0.1: the per-address limit would refuse all but 30 an hour.
        os.environ["ICC_PUBLIC_SUBMISSIONS_PER_HOUR"] = "0"
        shown = url if sqlite_file is None else sqlite_file.relative_to(REPO)
        if args.reuse_database and sqlite_file is not None and sqlite_file.exists():
            print(f"\n==> {database}: reusing the database of an earlier run ({shown})", flush=True)
            with setup_log.open("w") as log:
                load.manage(log, "migrate", "--no-input")
                load.manage(log, "collectstatic", "--no-input")
        else:
            print(f"\n==> {database}: building a fresh database ({shown})", flush=True)
            load.build_database(sqlite_file, log_path=setup_log)
        prepared = django_step("prepare")
        for function in prepared["demo_functions"]:
            print(f"    called {function}", flush=True)
        poll = prepared["poll"]
        print(f"    poll: {poll['title']!r} of {prepared['city']} ({poll['how']})", flush=True)
        port = load.free_port()
        base = f"http://{HOST}:{port}"
        print(f"==> starting gunicorn with {args.workers} sync workers on {base}", flush=True)
        with server_log.open("w") as log:
            server = load.start_server(port, args.workers, log)
            try:
                load.wait_until_ready(server, base, args.workers, log_path=server_log)
                idle = load.server_rss(server.pid)
                ballot = fill_ballot(base, poll["page"], poll["pk"], prepared["visitor_cookie"])
                print(
                    f"    one answer stored and its browser's replay refused: accepted {ballot.accepted}, "
                    f"refused {ballot.refused}",
                    flush=True,
                )
                votes = run_votes(wrk, args, base, ballot, poll["pk"], server.pid)
                dashboards = run_dashboards(wrk, args, base, prepared, server.pid)
                freshness = run_freshness(base, prepared, args.freshness_timeout)
            finally:
                load.stop_server(server)
    finally:
        if sqlite_file is None:
            postgres_database(args.postgres, create=False)
    return {
        "database": database,
        "settings": prepared["settings"],
        "bind": f"{HOST}:{port}",
        "city": prepared["city"],
        "poll": poll,
        "idle_rss_mib": round(idle / MIB, 1),
        "votes": votes,
        "dashboards": dashboards,
        "freshness": freshness,
    }


# --- report ----------------------------------------------------------------------------------


def verdicts(run: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(target, figure, met) for one database's run."""
    votes, fresh = run["votes"], run["freshness"]
    lines = [
        (
            f"≥ {TARGET_RATE:g} accepted poll answers a second for {votes['duration_s']:.0f} s",
            f"{votes['accepted_per_s']:.1f}/s ({votes['requests_per_s']:.1f}/s with replays)",
            votes["accepted_per_s"] >= TARGET_RATE,
        ),
        (f"poll answers p99 < {TARGET_P99_MS:g} ms", f"{votes['p99_ms']:.1f} ms", votes["p99_ms"] < TARGET_P99_MS),
        (
            "stored == accepted (none lost, none doubled)",
            f"{votes['stored']:,} stored, {votes['accepted']:,} accepted",
            votes["stored_equals_accepted"],
        ),
        (
            "every replayed browser refused, no errors",
            f"{votes['refused']:,} of {votes['sent_replays']:,} ({votes['unanswered_at_stop']} cut off), {votes['errors']} errors",
            votes["errors"] == 0
            and votes["sent_replays"] - votes["unanswered_at_stop"] <= votes["refused"] <= votes["sent_replays"],
        ),
    ]
    static = run["dashboards"][-1]
    for page in run["dashboards"][:-1]:
        ratio = page["p95_ratio_to_static"]
        lines.append(
            (
                f"{page['name'].split(',')[0]} p95 within {TARGET_RATIO:g}× of the static file's",
                f"{page['p95_ms']:.1f} / {static['p95_ms']:.1f} ms = {ratio:.1f}×",
                ratio is not None and ratio <= TARGET_RATIO and page["errors"] == 0,
            )
        )
    lines.append(
        (
            f"a new KPI value on the city dashboard within {TARGET_FRESH_S:g} s",
            f"{fresh['seconds']:.2f} s" if fresh["shown"] else f"not shown after {fresh['requests']} requests",
            bool(fresh["shown"]) and fresh["seconds"] <= TARGET_FRESH_S,
        )
    )
    return lines


def print_run(run: dict[str, Any], args: argparse.Namespace) -> None:
    votes, fresh = run["votes"], run["freshness"]
    print(f"\n--- {run['database']} ---")
    for key, value in run["settings"].items():
        print(f"setting   {key} = {value}")
    print(
        f"server    gunicorn config.wsgi:application, {args.workers} sync workers, {run['bind']}, wrk on the same machine; "
        f"per-address limit off (ICC_PUBLIC_SUBMISSIONS_PER_HOUR=0): every request comes from 127.0.0.1"
    )
    print(
        f"poll      {run['poll']['title']!r} of {run['city']}, answered at {votes['path']}: "
        f"wrk {args.threads} threads, {args.connections} connections, {votes['duration_s']:.0f} s, "
        f"every request a new browser, every {votes['replay_every']}th a replay of a counted browser "
        f"(and only replays in the last {votes['tail_s']:g} s)"
    )
    print(
        f"          {votes['requests']:,} answers in {votes['duration_s']:.1f} s = {votes['requests_per_s']:.1f}/s "
        f"({votes['accepted_per_s']:.1f} accepted/s); p50 {votes['p50_ms']:.1f} ms, p95 {votes['p95_ms']:.1f} ms, "
        f"p99 {votes['p99_ms']:.1f} ms, max {votes['max_ms']:.1f} ms"
    )
    print(
        f"          accepted {votes['accepted']:,}, refused {votes['refused']:,} (replays sent {votes['sent_replays']:,}), "
        f"errors {votes['errors']} (403: {votes['forbidden_403']}, 429: {votes['rate_limited_429']}, "
        f"5xx: {votes['server_errors_5xx']}, other: {votes['other_status']}, sockets: {votes['socket_errors']}); "
        f"unanswered when wrk stopped: {votes['unanswered_at_stop']}"
    )
    print(
        f"          stored during the run {votes['stored']:,} == accepted {votes['accepted']:,}: "
        f"{'yes' if votes['stored_equals_accepted'] else 'NO'}; peak server RSS {votes['peak_rss_mib']:.1f} MiB"
    )
    print(f"          {cpu_words(votes['cpu'], votes['requests_per_s'])}")
    if votes["cpu"]["server_cores"]:
        bound = votes["cpu"]["cores"] * votes["requests_per_s"] / votes["cpu"]["server_cores"]
        print(
            f"          at that CPU cost a request, the server could not answer more than {bound:.0f}/s "
            f"even with all {votes['cpu']['cores']:.0f} cores to itself (a bound, not a measurement)"
        )
    print(
        f"\n{'URL':<52} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'÷ static p95':>13} {'errors':>7}  Cache-Control"
    )
    for page in run["dashboards"]:
        print(
            f"{page['path'][:52]:<52} {page['requests_per_s']:>8.1f} {page['median_ms']:>10.2f} {page['p95_ms']:>8.2f} "
            f"{page['p95_ratio_to_static']:>12.1f}× {page['errors']:>7}  {page['cache_control']}"
        )
    for page in run["dashboards"]:
        print(f"{page['name'][:40]:<40}  {cpu_words(page['cpu'], page['requests_per_s'])}")
    if fresh["shown"]:
        print(
            f"\nfresh     {fresh['kpi']['name']!r} = {fresh['value']} on {fresh['date']}: on the city dashboard "
            f"{fresh['seconds']:.2f} s after the commit ({fresh['requests']} requests without cache); "
            f"the page says Cache-Control: {fresh['cache_control'] or '(none)'}"
        )
    else:
        print(f"\nfresh     the new value of {fresh['kpi']['name']!r} did not show within {args.freshness_timeout} s")


def print_summary(report: dict[str, Any]) -> None:
    runs = report["runs"]
    print("\nsummary")
    header = f"{'target':<56}" + "".join(f" {run['database']:<46}" for run in runs)
    print(header)
    table = [verdicts(run) for run in runs]
    for row in range(len(table[0])):
        line = f"{table[0][row][0]:<56}"
        for lines in table:
            _target, figure, met = lines[row]
            line += f" {('MET' if met else 'MISSED') + ' ' + figure:<46}"
        print(line)
    print(f"figures written to {RESULTS.relative_to(REPO)}")


def benchmark(args: argparse.Namespace) -> int:
    load_average = round(os.getloadavg()[0], 2)
    wrk = load.ensure_wrk()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    runs, failed = [], {}
    for database in databases:
        try:
            runs.append(run_on(database, wrk, args))
        except BenchmarkError as error:  # the other database's figures still count
            print(f"error on {database}: {error}", file=sys.stderr)
            failed[database] = str(error)
    if not runs:
        raise BenchmarkError("; ".join(f"{database}: {problem}" for database, problem in failed.items()))
    report: dict[str, Any] = {
        "machine": load.machine(load_average),
        "software": load.software(wrk),
        "run": {
            "workers": args.workers,
            "worker_class": "sync",
            "threads": args.threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "dashboard_duration_s": args.dashboard_duration,
            "warmup_s": args.warmup,
            "replay_every": args.replay_every,
            "accept_encoding": load.ACCEPT_ENCODING,
            "ICC_PUBLIC_SUBMISSIONS_PER_HOUR": 0,
        },
        "runs": runs,
        "failed": failed,
        "verdicts": {
            run["database"]: [{"target": t, "figure": f, "met": m} for t, f, m in verdicts(run)] for run in runs
        },
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    m, s = report["machine"], report["software"]
    print("\nICC platform public side benchmark")
    print(
        f"machine   {m['logical_cores']} logical cores ({m['physical_cores']} physical), {m['memory_gib']} GiB RAM, "
        f"{m['system']}, Python {m['python']}; load average {m['load_average_before']:.2f} before the run"
    )
    print(f"software  Django {s['django']}, gunicorn {s['gunicorn']}, {s['wrk']}")
    for run in runs:
        print_run(run, args)
    print_summary(report)
    for database, problem in failed.items():
        print(f"NOT RUN on {database}: {problem}")
    return 0 if not failed and all(met for run in runs for _t, _f, met in verdicts(run)) else 1


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, load.raise_interrupt)
    try:
        return benchmark(args)
    except BenchmarkError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
