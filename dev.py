#!/usr/bin/env python3
"""Set up, run and test the ICC platform with nothing but Python 3.11+.

    python3 dev.py up       # install, migrate, load the demo programme, serve on 127.0.0.1:8000
    python3 dev.py test     # lint, type-check and run the whole test suite
    python3 dev.py develop  # the same data, served by Django's reloading development server
    python3 dev.py messages # refresh the public pages' translation catalogues from the code

Dependencies go into .venv from the locked requirements files; the database is SQLite in
var/ unless DATABASE_URL says otherwise. `test` also runs the suite against PostgreSQL
when ICC_TEST_POSTGRES_URL is set (CI sets it), at the same time as the SQLite run.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
LOCK = ROOT / "requirements" / "dev.txt"
STAMP = VENV / ".requirements.sha256"
PORT = int(os.environ.get("PORT", "8000"))


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("→", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env={**os.environ, **(env or {})})
    if completed.returncode:
        sys.exit(completed.returncode)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before the environment exists
        sys.exit("Python 3.11 or newer is needed.")
    if not PYTHON.exists():
        print("Creating .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", LOCK)
        STAMP.write_text(digest)
    (ROOT / "var").mkdir(exist_ok=True)


def served_environment() -> dict[str, str]:
    """The settings `up` serves with: production-style (no debug, compressed static files,
    background work queued for the worker), on this machine's loopback address."""
    key_file = ROOT / "var" / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return {
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or key_file.read_text().strip(),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
        "SITE_URL": os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}"),
        "TASKS_BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # A prefix of this installation's own, not one registered with the Open Contracting
        # Partnership: set ICC_OCDS_OCID_PREFIX to the programme's registered one.
        "ICC_OCDS_OCID_PREFIX": os.environ.get("ICC_OCDS_OCID_PREFIX", "ocds-xlocal"),
        "PYTHONUNBUFFERED": "1",
    }


def prepare(env: dict[str, str]) -> None:
    run(PYTHON, "manage.py", "compile_translations", env=env)
    run(PYTHON, "manage.py", "migrate", "--no-input", env=env)
    run(PYTHON, "manage.py", "load_demo", env=env)


def up() -> None:
    """Serve the platform as it is meant to be served: gunicorn, with the background worker beside it."""
    ensure_environment()
    ensure_pdf_libraries()
    env = served_environment()
    prepare(env)
    # The worker sends the inbox's digests every morning; this queues its first run (once).
    run(PYTHON, "manage.py", "schedule_inbox", env=env)
    run(PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0", env=env)
    workers = str(2 * (os.cpu_count() or 1) + 1)
    server = [
        PYTHON,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{PORT}",
        f"--workers={workers}",
        "--preload",  # the code is imported once, before the workers fork, not once per worker
        "--no-control-socket",  # gunicorn would otherwise open ~/.gunicorn/gunicorn.ctl
    ]
    print(f"\nThe platform is at http://127.0.0.1:{PORT}/ (Ctrl+C stops it).\n", flush=True)
    processes = [
        subprocess.Popen([str(a) for a in server], cwd=ROOT, env={**os.environ, **env}),
        subprocess.Popen([str(PYTHON), "manage.py", "db_worker"], cwd=ROOT, env={**os.environ, **env}),
    ]
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT if os.name != "nt" else signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    codes = [p.returncode for p in processes if p.returncode not in (0, None, -signal.SIGINT)]
    if codes:
        sys.exit(codes[0])


def develop() -> None:
    """The reloading development server, with debug pages; background work runs in-process."""
    ensure_environment()
    env = {"DEBUG": os.environ.get("DEBUG", "1")}
    prepare(env)
    print(f"\nThe development server is at http://127.0.0.1:{PORT}/ (Ctrl+C stops it).\n", flush=True)
    run(PYTHON, "manage.py", "runserver", f"127.0.0.1:{PORT}", env=env)


def missing_pdf_libraries() -> list[str]:
    """The Debian packages WeasyPrint needs to lay out the PDF reports (Pango, and fonts
    with the letters of every EU language), when they are not there."""
    import ctypes.util

    wanted = []
    if ctypes.util.find_library("pango-1.0") is None:
        wanted.append("libpango-1.0-0")
    if ctypes.util.find_library("pangoft2-1.0") is None:
        wanted.append("libpangoft2-1.0-0")
    if not Path("/usr/share/fonts/truetype/dejavu").is_dir():
        wanted.append("fonts-dejavu-core")
    return wanted


def ensure_pdf_libraries() -> None:
    """Install what the PDF reports need when we may; otherwise say that they will not render."""
    wanted = missing_pdf_libraries()
    if not wanted:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", *wanted, env={"DEBIAN_FRONTEND": "noninteractive"})
        return
    print(f"The PDF reports need Debian's {' and '.join(wanted)} (apt-get install {' '.join(wanted)}).", flush=True)


def ensure_system_tools() -> None:
    """Debian's Chromium drives the browser tests and LibreOffice saves the workbook of the
    Excel round-trip test, and GNU gettext extracts the strings the catalogues must cover;
    install them when we may, or say how."""
    wanted = []
    if os.environ.get("ICC_SKIP_BROWSER") != "1" and not shutil.which("chromium"):
        wanted.append("chromium")
    if not (shutil.which("libreoffice") or shutil.which("soffice")):
        wanted.append("libreoffice-calc-nogui")
    if not shutil.which("xgettext"):
        wanted.append("gettext")  # the test that the catalogues cover every string extracts them
    wanted += missing_pdf_libraries()
    if not wanted:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", *wanted, env={"DEBIAN_FRONTEND": "noninteractive"})
        return
    sys.exit(
        f"The tests need Debian's {' and '.join(wanted)} (apt-get install {' '.join(wanted)}); "
        "set ICC_SKIP_BROWSER=1 to leave out the browser tests."
    )


def test(extra: list[str]) -> None:
    ensure_environment()
    ensure_system_tools()
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "ruff", "format", "--check", ".")
    run(PYTHON, "-m", "mypy")
    run(PYTHON, "-m", "djlint", "icc", "--lint")
    run(PYTHON, "manage.py", "makemigrations", "--check", "--dry-run", env={"ICC_ALLOW_INSECURE_KEY": "1"})
    run(PYTHON, "manage.py", "compile_translations", env={"ICC_ALLOW_INSECURE_KEY": "1"})
    sqlite = {"DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'test.sqlite3'}"}
    postgres = os.environ.get("ICC_TEST_POSTGRES_URL")
    background = None
    if postgres:
        # The PostgreSQL run goes on beside the SQLite one (one core each); its output is
        # kept in a log and shown when it ends.
        log_path = ROOT / "var" / "test-postgresql.log"
        print(f"\n== Test suite on PostgreSQL (in the background, output in {log_path}) ==", flush=True)
        log = log_path.open("w")
        background = subprocess.Popen(
            [str(PYTHON), "-m", "pytest", *extra],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": postgres},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    print("\n== Test suite on SQLite ==", flush=True)
    completed = subprocess.run([str(PYTHON), "-m", "pytest", *extra], cwd=ROOT, env={**os.environ, **sqlite})
    if background is None:
        print("\nICC_TEST_POSTGRES_URL is not set: the PostgreSQL run was not done.", flush=True)
        if completed.returncode:
            sys.exit(completed.returncode)
        return
    status = background.wait()
    log.close()
    print("\n== Test suite on PostgreSQL ==", flush=True)
    print(log_path.read_text(), flush=True)
    if completed.returncode or status:
        sys.exit(completed.returncode or status)


def main() -> None:
    command, extra = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "up":
        up()
    elif command == "develop":
        develop()
    elif command == "messages":
        ensure_environment()
        run(PYTHON, "manage.py", "refresh_messages", env={"ICC_ALLOW_INSECURE_KEY": "1"})
    elif command == "test":
        test(extra)
    elif command == "setup":
        ensure_environment()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
