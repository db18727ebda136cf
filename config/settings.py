"""Settings for the ICC platform, read from the environment.

Every setting that differs between a laptop and a production deployment comes from an
environment variable; the defaults give a working development set-up on SQLite.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django.conf.locale

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("ICC_ALLOW_INSECURE_KEY"):
        raise RuntimeError("Set SECRET_KEY (or DEBUG=1 for a development set-up).")
    SECRET_KEY = "development-only-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "icc.core",
    "icc.accounts",
    "icc.programmes",
    "icc.cities",
    "icc.journey",
    "icc.assessments",
    "icc.roadmaps",
    "icc.tags",
    "icc.public",
    "icc.consultations",
    "icc.ideas",
    "icc.library",
    "icc.search",
    "icc.channels",
    "icc.inbox",
    "icc.marketplace",
    "icc.ecosystem",
    "icc.finance",
    "icc.procurement",
    "icc.opendata",
    "icc.reports",
    "icc.dashboard",
    "icc.privacy",
    "ninja",  # the open API's documentation page and its static files, served locally
    "icc.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, with their own long-lived public caching.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "icc.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "icc.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "icc.core.middleware.TimeZoneMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "icc.core.context_processors.navigation",
                "icc.inbox.context_processors.inbox",
            ],
        },
    },
]

# Databases: SQLite in WAL mode by default, anything dj-database-url understands otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'icc.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests like any other database: a new SQLite connection reads
    # the whole schema again before its first statement, which costs more than a citizen's
    # answer itself.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work: run in-process by default; with TASKS_BACKEND=django_tasks_db.DatabaseBackend
# it is queued in the database and run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "icc.accounts.backends.PersonBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_TIMEOUT_DAYS = int(os.environ.get("ICC_INVITATION_TIMEOUT_DAYS", "14"))

# Sign-in attempts: five failures for one account from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("ICC_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "icc.accounts.lockout.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("ICC_LOGIN_RATE_LIMIT", default=True)

# Personal access tokens of the API: requests each token may make per window (seconds).
API_TOKEN_RATE_LIMIT = int(os.environ.get("ICC_API_TOKEN_RATE_LIMIT", "600"))
API_TOKEN_RATE_WINDOW = 3600

# Security. A production deployment served over HTTPS sets, in its environment:
#   SECRET_KEY                      50 or more random characters
#   DEBUG=0, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, SITE_URL=https://…
#   SECURE_SSL_REDIRECT=1           answer plain HTTP with a redirect to HTTPS (not /health/)
#   SECURE_HSTS_SECONDS=31536000    tell browsers to use only HTTPS for this long (0, the default, is off)
#   SECURE_HSTS_INCLUDE_SUBDOMAINS=1, SECURE_HSTS_PRELOAD=1
#                                   the same for every subdomain, and consent to browsers' preload lists
#   ICC_BEHIND_TLS_PROXY=1          a proxy in front ends TLS and sets X-Forwarded-Proto: https;
#                                   only with a proxy that always sets or strips that header
#   SECURE_COOKIES                  cookies only over HTTPS; on by default when SITE_URL is https
# HSTS and the redirect are off unless set: once a browser has seen HSTS it refuses plain HTTP
# for the whole period, so turn it on only when HTTPS works everywhere.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("ICC_BEHIND_TLS_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent with every response by icc.core.middleware.SecurityHeadersMiddleware. Scripts and styles
# come only from the platform's own static files: no inline code, no CDN.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ICC programme office <noreply@localhost>")

# Languages: the 24 official languages of the EU, each named in itself.
LANGUAGE_CODE = "en"
# The EU's 24 official languages: the public pages (citizens' pages, dashboards,
# consultations, ideas and their e-mails) are translated into each, with a complete
# catalogue in locale/; the programme's own pages, e-mails and reports into English, French,
# German, Spanish, Italian and Polish (icc.core.catalogues.PLATFORM_LANGUAGES), and shown in
# English to a reader of another language. A city may write its texts in any EU language
# (icc/public/languages.py).
LANGUAGES = [
    ("bg", "български"),
    ("cs", "čeština"),
    ("da", "dansk"),
    ("de", "Deutsch"),
    ("el", "ελληνικά"),
    ("en", "English"),
    ("es", "español"),
    ("et", "eesti"),
    ("fi", "suomi"),
    ("fr", "français"),
    ("ga", "Gaeilge"),
    ("hr", "hrvatski"),
    ("hu", "magyar"),
    ("it", "italiano"),
    ("lt", "lietuvių"),
    ("lv", "latviešu"),
    ("mt", "Malti"),
    ("nl", "Nederlands"),
    ("pl", "polski"),
    ("pt", "português"),
    ("ro", "română"),
    ("sk", "slovenčina"),
    ("sl", "slovenščina"),
    ("sv", "svenska"),
]
# Django knows no Maltese: its name and direction, for get_language_info.
django.conf.locale.LANG_INFO.setdefault("mt", {"bidi": False, "code": "mt", "name": "Maltese", "name_local": "Malti"})
# Submissions (answers, votes, ideas) one network address may send to one consultation or
# call in an hour; 0 turns the limit off.
ICC_PUBLIC_SUBMISSIONS_PER_HOUR = int(os.environ.get("ICC_PUBLIC_SUBMISSIONS_PER_HOUR", "30"))
# A consultation's question shows figures from this many answers (below 5, one person's
# answer can be read off them); a confirmation link works for this many days (1 to 30).
ICC_CONSULTATION_MIN_ANSWERS = int(os.environ.get("ICC_CONSULTATION_MIN_ANSWERS", "5"))
ICC_CONSULTATION_CONFIRM_DAYS = int(os.environ.get("ICC_CONSULTATION_CONFIRM_DAYS", "7"))
# Retention (icc.privacy, applied by the daily run): an account nobody has signed in to
# for this many days is anonymised; personal answers and e-mail addresses left in a
# consultation or a call for ideas go this many days after it closes.
ICC_RETENTION_INACTIVE_ACCOUNT_DAYS = int(os.environ.get("ICC_RETENTION_INACTIVE_ACCOUNT_DAYS", str(3 * 365)))
ICC_RETENTION_CONTACT_DATA_DAYS = int(os.environ.get("ICC_RETENTION_CONTACT_DATA_DAYS", "365"))
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in English read 1 Dec 2026 (config/formats/en); numbers go through icc.core.formatting.
FORMAT_MODULE_PATH = ["config.formats"]

# How many candidate mentors per city the TAG formation model considers (icc.optimiser).
TAG_FORMATION_CANDIDATES = int(os.environ.get("ICC_TAG_FORMATION_CANDIDATES", "8"))
# The Open Contracting prefix of the programme's procurement releases ("ocds-" and the six
# characters the Open Contracting Partnership registers); without one, no OCDS export is made.
OCDS_OCID_PREFIX = os.environ.get("ICC_OCDS_OCID_PREFIX", "")
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("ICC_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

# Uploads: a CSV import larger than this is refused before it is read.
ICC_MAX_IMPORT_BYTES = int(os.environ.get("ICC_MAX_IMPORT_BYTES", str(5 * 1024 * 1024)))
# Deliverable documents: the largest upload accepted.
ICC_MAX_DOCUMENT_BYTES = int(os.environ.get("ICC_MAX_DOCUMENT_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
