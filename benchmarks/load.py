"""Load benchmark: the demo programme served by gunicorn, measured with wrk.

Run from the repository root:  .venv/bin/python benchmarks/load.py  (--help for the flags)

It builds a fresh SQLite database in benchmarks/.work/ with production settings (DEBUG off),
loads the demo programme, collects the static files, starts gunicorn on a free loopback port,
signs in as the demo organiser, checks that every URL answers 200, then runs wrk against the
programme overview, one city page and the site's CSS in turn while it samples the resident
memory of gunicorn and its workers. The figures are printed and written to
benchmarks/.work/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

import psutil

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / ".work"
LUA_SCRIPT = REPO / "benchmarks" / "report.lua"
DATABASE = WORK / "icc.sqlite3"
SETUP_LOG = WORK / "setup.log"
SERVER_LOG = WORK / "gunicorn.log"
RESULTS = WORK / "results.json"
HOST = "127.0.0.1"
SLUG = "icc-2025"
MIB = 1024 * 1024
# Sent with every request, checks and load alike: what a browser sends for these pages.
ACCEPT_ENCODING = "gzip, deflate, br"
# Environment variables that would change the settings under test; they are removed.
SETTINGS_OVERRIDES = (
    "REDIS_URL",
    "TASKS_BACKEND",
    "ICC_PLAIN_STATIC",
    "ICC_ALLOW_INSECURE_KEY",
    "ICC_LOGIN_RATE_LIMIT",
    "SECURE_COOKIES",
    "CSRF_TRUSTED_ORIGINS",
    "LOG_LEVEL",
)


class BenchmarkError(Exception):
    """A step failed; the message says which and why."""


@dataclass
class Target:
    name: str
    path: str


@dataclass
class Result:
    name: str
    path: str
    requests: int
    duration_s: float
    requests_per_s: float
    median_ms: float
    p95_ms: float
    max_ms: float
    bytes_read: int
    non_2xx: int
    socket_errors: dict[str, int]
    errors: int
    peak_rss_mib: float


@dataclass
class Setup:
    static_path: str
    city_path: str
    city_name: str
    organiser: str
    password: str
    settings: dict[str, Any] = field(default_factory=dict)


# --- command line -------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description="Load-test the ICC platform under gunicorn with wrk.")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL (default: 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load per URL first (default: 2)")
    parser.add_argument("--connections", type=int, default=8, help="open wrk connections (default: 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default: 2)")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * cores + 1,
        help=f"gunicorn sync workers (default: 2 x cores + 1 = {2 * cores + 1})",
    )
    args = parser.parse_args()
    if args.duration < 1 or args.warmup < 0 or args.workers < 1 or args.threads < 1:
        parser.error("--duration, --workers and --threads must be at least 1, --warmup at least 0")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads (wrk needs one connection per thread)")
    return args


# --- wrk ----------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchmarkError("wrk is not installed. Install it with `sudo apt-get install wrk` and run this again.")
    print("==> wrk not found; installing it with apt-get", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, check=False)
        subprocess.run(install, env=env, check=False)
    found = shutil.which("wrk")
    if not found:
        raise BenchmarkError("apt-get could not install wrk; install it by hand and run this again.")
    return found


def wrk_version(wrk: str) -> str:
    output = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    first = (output.stdout or output.stderr).strip().splitlines()
    return first[0].split("Copyright")[0].strip() if first else "wrk (unknown version)"


def run_wrk(
    wrk: str,
    args: argparse.Namespace,
    url: str,
    cookie: str,
    seconds: int,
    *,
    script: Path = LUA_SCRIPT,
    script_args: tuple[str, ...] = (),
) -> dict[str, int]:
    """Run wrk on ``url`` with ``script`` and return the script's WRK_RESULT figures.

    An empty ``cookie`` sends no Cookie header; ``script_args`` reach the script's init().
    """
    command = [
        wrk,
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        f"--script={script}",
        *([f"--header=Cookie: {cookie}"] if cookie else []),
        f"--header=Accept-Encoding: {ACCEPT_ENCODING}",
        url,
        *(["--", *script_args] if script_args else []),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BenchmarkError(f"wrk failed on {url}:\n{completed.stdout}{completed.stderr}")
    for line in completed.stdout.splitlines():
        if line.startswith("WRK_RESULT "):
            return {key: int(value) for key, value in (pair.split("=") for pair in line.split()[1:])}
    raise BenchmarkError(f"wrk printed no WRK_RESULT line for {url}:\n{completed.stdout}")


# --- database, demo data and static files -------------------------------------------------


def configure_environment(database_url: str = f"sqlite:///{DATABASE}") -> None:
    for name in SETTINGS_OVERRIDES:
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(WORK / "static"),
            "PYTHONUNBUFFERED": "1",
        }
    )


def manage(log: IO[str], *command: str) -> None:
    started = time.monotonic()
    log.write(f"\n$ manage.py {' '.join(command)}\n")
    log.flush()
    completed = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=REPO, stdout=log, stderr=subprocess.STDOUT, check=False
    )
    if completed.returncode != 0:
        raise BenchmarkError(f"manage.py {' '.join(command)} failed; see {Path(log.name).relative_to(REPO)}")
    print(f"    manage.py {' '.join(command):<28} {time.monotonic() - started:5.1f} s", flush=True)


def build_database(sqlite_file: Path | None = DATABASE, log_path: Path = SETUP_LOG) -> None:
    """Migrate, load the demo and collect the static files; a SQLite file is deleted first.

    With ``sqlite_file`` None the database DATABASE_URL names must exist and be empty.
    """
    WORK.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal") if sqlite_file else ():
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    with log_path.open("w") as log:
        manage(log, "migrate", "--no-input")
        manage(log, "load_demo", "--quiet-sign-ins")
        manage(log, "collectstatic", "--no-input")


def look_up_setup() -> Setup:
    """Ask Django, in this process and with the benchmark's settings, for the URLs to load."""
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db import connections

    from icc.cities import demo
    from icc.cities.models import City

    city = City.objects.filter(programme__slug=SLUG).order_by("pk").first()
    if city is None:
        raise BenchmarkError(f"the demo programme {SLUG!r} has no cities")
    database = settings.DATABASES["default"]
    used = {
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "DEBUG": settings.DEBUG,
        "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
        "SECRET_KEY": "generated for this run",
        "DATABASE": f"{database['ENGINE']} {Path(database['NAME']).relative_to(REPO)}",
        "STATICFILES_STORAGE": settings.STORAGES["staticfiles"]["BACKEND"],
        "STATIC_ROOT": str(Path(settings.STATIC_ROOT).relative_to(REPO)),
        "CACHE": settings.CACHES["default"]["BACKEND"],
        "PASSWORD_HASHERS": settings.PASSWORD_HASHERS,
    }
    setup = Setup(
        static_path=staticfiles_storage.url("core/site.css"),
        city_path=f"/cities/{city.pk}/",
        city_name=f"{city.name} ({city.country})",
        organiser=demo.PERSONA_EMAILS["organiser"],
        password=demo.DEMO_PASSWORD,
        settings=used,
    )
    connections.close_all()
    return setup


# --- gunicorn -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def gunicorn_command(port: int, workers: int) -> list[str]:
    from gunicorn import config

    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--log-level=warning",
    ]
    if any(setting.name == "control_socket_disable" for setting in config.KNOWN_SETTINGS):
        command.append("--no-control-socket")  # gunicorn 24+ would otherwise open ~/.gunicorn/gunicorn.ctl
    return command


def start_server(port: int, workers: int, log: IO[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SITE_URL": f"http://{HOST}:{port}"}
    # A session of its own, so that Ctrl+C reaches this script, which then stops gunicorn in order.
    return subprocess.Popen(
        gunicorn_command(port, workers), cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            status: int = response.status
            return status == 200
    except OSError:
        return False


def wait_until_ready(
    server: subprocess.Popen[bytes], base: str, workers: int, timeout: float = 60, log_path: Path = SERVER_LOG
) -> None:
    deadline = time.monotonic() + timeout
    booted = False
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchmarkError(f"gunicorn exited with code {server.returncode}; see {log_path.relative_to(REPO)}")
        with contextlib.suppress(psutil.NoSuchProcess):
            booted = len(psutil.Process(server.pid).children(recursive=True)) >= workers
        if booted and answers(f"{base}/health/"):
            return
        time.sleep(0.2)
    raise BenchmarkError(f"gunicorn did not answer /health/ within {timeout:.0f} s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        # gunicorn runs in a process group of its own (start_new_session), workers included.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- signing in and checking the URLs -----------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the real form (CSRF token included) and return the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"{base}/accounts/sign-in/"
    try:
        opener.open(url, timeout=10).close()
        csrf = next((c.value for c in jar if c.name == "csrftoken"), None)
        if csrf is None:
            raise BenchmarkError("the sign-in page set no csrftoken cookie")
        form = urllib.parse.urlencode({"username": email, "password": password, "csrfmiddlewaretoken": csrf})
        opener.open(url, data=form.encode(), timeout=30).close()
    except urllib.error.URLError as error:
        raise BenchmarkError(f"signing in as {email} failed: {error}") from error
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if session is None:
        raise BenchmarkError(f"signing in as {email} gave no session cookie")
    return f"sessionid={session}"


def check(base: str, target: Target, cookie: str) -> str | None:
    """Return None if the URL answers 200 to the signed-in session, otherwise what went wrong."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        f"{base}{target.path}", headers={"Cookie": cookie, "Accept-Encoding": ACCEPT_ENCODING}
    )
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location")
        return f"{error.code}" + (f" redirect to {location}" if location else "")
    except urllib.error.URLError as error:
        return f"no answer ({error.reason})"
    return None if status == 200 else str(status)


# --- memory -------------------------------------------------------------------------------


def server_rss(pid: int) -> int:
    """Resident memory of the gunicorn master and all its workers, in bytes."""
    try:
        master = psutil.Process(pid)
        processes = [master, *master.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += process.memory_info().rss
    return total


class RssSampler:
    """Samples server_rss() every interval in a thread and keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, server_rss(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --- the load runs ------------------------------------------------------------------------


def load(wrk: str, args: argparse.Namespace, base: str, target: Target, cookie: str, pid: int) -> Result:
    url = f"{base}{target.path}"
    print(f"==> {target.name}: {args.warmup} s warm-up, {args.duration} s measured", flush=True)
    if args.warmup:
        run_wrk(wrk, args, url, cookie, args.warmup)
    with RssSampler(pid) as sampler:
        raw = run_wrk(wrk, args, url, cookie, args.duration)
    duration = raw["duration_us"] / 1e6
    sockets = {key: raw[key] for key in ("connect", "read", "write", "timeout")}
    return Result(
        name=target.name,
        path=target.path,
        requests=raw["requests"],
        duration_s=round(duration, 3),
        requests_per_s=round(raw["requests"] / duration, 1),
        median_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        bytes_read=raw["bytes"],
        non_2xx=raw["non2xx"],
        socket_errors=sockets,
        errors=raw["non2xx"] + sum(sockets.values()),
        peak_rss_mib=round(sampler.peak / MIB, 1),
    )


# --- report -------------------------------------------------------------------------------


def machine(load_average: float) -> dict[str, Any]:
    return {
        "load_average_before": load_average,
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
    }


def software(wrk: str) -> dict[str, str]:
    from importlib.metadata import version

    return {"django": version("django"), "gunicorn": version("gunicorn"), "wrk": wrk_version(wrk)}


def print_report(report: dict[str, Any]) -> None:
    m, s, run = report["machine"], report["software"], report["run"]
    print("\nICC platform load benchmark")
    print(
        f"machine   {m['logical_cores']} logical cores ({m['physical_cores']} physical), "
        f"{m['memory_gib']} GiB RAM, {m['system']}, Python {m['python']}"
    )
    print(
        f"load avg  {m['load_average_before']:.2f} over the minute before the run (other work on the machine skews the figures)"
    )
    print(f"software  Django {s['django']}, gunicorn {s['gunicorn']}, {s['wrk']}")
    for key, value in report["settings"].items():
        print(f"setting   {key} = {value}")
    print(
        f"server    gunicorn config.wsgi:application, {run['workers']} sync workers, {run['bind']}, "
        "wrk on the same machine"
    )
    print(
        f"load      wrk {run['threads']} threads, {run['connections']} connections, {run['duration_s']} s per URL "
        f"after {run['warmup_s']} s warm-up, signed in as {run['signed_in_as']}, city page: {run['city']}"
    )
    print()
    print(f"{'URL':<44} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'errors':>7} {'peak RSS MiB':>13}")
    for r in report["results"]:
        print(
            f"{r['path']:<44} {r['requests_per_s']:>8.1f} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f} "
            f"{r['errors']:>7} {r['peak_rss_mib']:>13.1f}"
        )
    print_ratios_and_targets(report["results"])
    memory = report["memory"]
    print(
        f"\npeak server memory (master + {run['workers']} workers, RSS summed every 100 ms): "
        f"{memory['peak_rss_mib']:.1f} MiB; idle before the load: {memory['idle_rss_mib']:.1f} MiB"
    )
    for r in report["results"]:
        if r["errors"]:
            print(f"ERRORS on {r['path']}: {r['non_2xx']} non-2xx, socket errors {r['socket_errors']}")
    print(f"figures written to {RESULTS.relative_to(REPO)}")


# Targets per page at the default 8 connections: (p95 ms at most, req/s at least).
TARGETS = {"programme overview": (50.0, 150.0), "city page": (30.0, None)}


def print_ratios_and_targets(results: list[dict[str, Any]]) -> None:
    """Each page beside the static file served in the same run, and against its target."""
    static = next((r for r in results if r["name"] == "static CSS"), None)
    if static is None:
        return
    print(f"\n{'page':<44} {'static/page req/s':>18} {'page/static p95':>16}  target")
    for r in results:
        if r is static:
            continue
        ratio_rate = static["requests_per_s"] / r["requests_per_s"] if r["requests_per_s"] else float("inf")
        ratio_p95 = r["p95_ms"] / static["p95_ms"] if static["p95_ms"] else float("inf")
        p95_target, rate_target = next((t for key, t in TARGETS.items() if r["name"].startswith(key)), (None, None))
        verdicts = []
        if p95_target is not None:
            verdicts.append(f"p95 ≤ {p95_target:g} ms {'met' if r['p95_ms'] <= p95_target else 'MISSED'}")
        if rate_target is not None:
            verdicts.append(f"≥ {rate_target:g} req/s {'met' if r['requests_per_s'] >= rate_target else 'MISSED'}")
        print(f"{r['name'][:44]:<44} {ratio_rate:>17.1f}× {ratio_p95:>15.1f}×  {'; '.join(verdicts) or '—'}")


def build_report(
    args: argparse.Namespace, wrk: str, setup: Setup, port: int, idle: int, results: list[Result], load_average: float
) -> dict[str, Any]:
    return {
        "machine": machine(load_average),
        "software": software(wrk),
        "settings": setup.settings,
        "run": {
            "bind": f"{HOST}:{port}",
            "workers": args.workers,
            "worker_class": "sync",
            "threads": args.threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "accept_encoding": ACCEPT_ENCODING,
            "signed_in_as": setup.organiser,
            "city": setup.city_name,
        },
        "memory": {
            "idle_rss_mib": round(idle / MIB, 1),
            "peak_rss_mib": max((r.peak_rss_mib for r in results), default=0.0),
        },
        "results": [asdict(r) for r in results],
    }


# --- main ---------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace) -> int:
    load_average = round(os.getloadavg()[0], 2)
    wrk = ensure_wrk()
    configure_environment()
    print(f"==> building a fresh database in {WORK.relative_to(REPO)}/", flush=True)
    build_database()
    setup = look_up_setup()
    targets = [
        Target("programme overview", f"/programmes/{SLUG}/"),
        Target(f"city page, {setup.city_name}", setup.city_path),
        Target("static CSS", setup.static_path),
    ]
    port = free_port()
    base = f"http://{HOST}:{port}"
    print(f"==> starting gunicorn with {args.workers} sync workers on {base}", flush=True)
    with SERVER_LOG.open("w") as log:
        server = start_server(port, args.workers, log)
        try:
            wait_until_ready(server, base, args.workers)
            cookie = sign_in(base, setup.organiser, setup.password)
            failures = [(t, problem) for t in targets if (problem := check(base, t, cookie))]
            for target, problem in failures:
                print(f"CHECK FAILED {target.path} ({target.name}): {problem}", file=sys.stderr)
            if failures:
                return 1
            print(f"==> signed in as {setup.organiser}; all {len(targets)} URLs answer 200", flush=True)
            idle = server_rss(server.pid)
            results = [load(wrk, args, base, t, cookie, server.pid) for t in targets]
        finally:
            stop_server(server)
    report = build_report(args, wrk, setup, port, idle, results, load_average)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print_report(report)
    return 1 if any(r.errors for r in results) else 0


def raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = parse_args()
    # Ctrl+C and SIGTERM both end up in the finally that stops gunicorn, even if SIGINT was ignored on entry.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, raise_interrupt)
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
