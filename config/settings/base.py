"""Settings shared by every environment. Values that differ between machines come from the
environment (django-environ); local.py, test.py and production.py only say what differs."""

from pathlib import Path

import django.forms
import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.storage import storage_from_url

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Production settings set this; demo data and other conveniences refuse to run there.
IS_PRODUCTION = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# --- Applications --------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for widgets of other apps that include them
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.saml",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "infra",
    "pilots",
    "accounts",
    "cases",
    "workshops",
    "dashboards",
    "exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "infra.uploads.DownloadNameMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.SessionAgeMiddleware",
    "infra.audit.AuditMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "infra.language.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.federation.HostHeaderMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "pilots.scoping.SiteScopeMiddleware",
    "pilots.scoping.AdminScopeMiddleware",
    # After the site scope and the sign-in requirement: reads the "shows case data" mark.
    "cases.casedata.CaseDataMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Form widgets are drawn by Django's own Jinja2 widget templates, the pages by Django's
# template language. A form page renders hundreds of widget, option and attribute templates,
# and Jinja2 compiles them to Python: forms render about a third faster (the form fuzzing,
# most of `make test`, and every page with a filter bar). The Jinja2 engine looks only in
# Django's forms/jinja2 folder, so every other template, and other apps' widgets written in the
# template language (django-filter's range), falls through to the second engine.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "NAME": "widgets",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [Path(django.forms.__file__).parent / "jinja2"],
        "APP_DIRS": False,
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Every page writes its dates with |day (infra/templatetags/dates.py).
            "builtins": ["infra.templatetags.dates"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Data ----------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# Every select of a form reads its choices through QuerySet.iterator(), which on PostgreSQL
# opens a server-side cursor: three round trips (declare, fetch, close) for a list of a few
# schools. Nothing here streams large results; client-side cursors also suit PgBouncer.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "triad",
            # A Redis that hangs must fail a request (and /healthz), not hang it: redis-py
            # waits forever by default.
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Drawings of case pages kept in the worker's own memory, never in a shared service
# (cases/kept.py): a few hundred pages of a few tens of kilobytes each.
CACHES["kept"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "triad-kept",
    "OPTIONS": {"MAX_ENTRIES": 300},
}

# --- Celery: a real broker where Redis is configured, eager tasks everywhere else ------------

# The broker's address has one source, this setting: CELERY_BROKER_URL from the environment if
# set, else REDIS_URL. Celery itself no longer reads the variable (config/celery.py).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Stockholm"
# Seconds after which the reminder scan queues again an e-mail that has not gone out (its
# message lost in a broker restart, its worker killed). Keep it below the visibility timeout.
REMINDER_REQUEUE_AFTER = env.int("REMINDER_REQUEUE_AFTER", default=15 * 60)
# Periodic work is a short scan of the database for what is due (see each app's tasks.py).
CELERY_BEAT_SCHEDULE: dict = {
    # Scans that wait longer than the interval are dropped: the next one covers the same ground.
    "workshops-reminders": {
        "task": "workshops.tasks.scan_reminders",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
    # Every site's progress summary, built at night when nobody waits for it.
    "dashboards-nightly": {
        "task": "dashboards.tasks.build_all_summaries",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # The weekly digest falls due on Monday morning; the hourly scan sends what is unsent.
    "dashboards-digests": {
        "task": "dashboards.tasks.scan_digests",
        "schedule": crontab(minute=20),
        "options": {"expires": 50 * 60},
    },
    # Daily and weekly digests of followed threads; a short scan, a unique row per digest.
    "exchange-digests": {
        "task": "exchange.tasks.scan_digests",
        "schedule": 15 * 60,
        "options": {"expires": 14 * 60},
    },
}

# Retention: a closed site's cases are removed this many days after it closed (the default
# for a new programme; each programme sets its own). Checked nightly by cases.tasks.
TRIAD_CASE_RETENTION_DAYS = env.int("TRIAD_CASE_RETENTION_DAYS", default=365)
# The case access record outlives the cases it names (HSLF-FS 2016:40 4 kap. 9 §: the log is
# followed up); its lines are removed by the same nightly task once this many years old.
TRIAD_ACCESS_LOG_RETENTION_YEARS = env.int("TRIAD_ACCESS_LOG_RETENTION_YEARS", default=5)

# Counts of children below this, in any breakdown finer than the whole site, show as "1–4" to
# everyone who may not see the cases (cases/disclosure.py).
TRIAD_SMALL_NUMBER_THRESHOLD = env.int("TRIAD_SMALL_NUMBER_THRESHOLD", default=5)
CELERY_BEAT_SCHEDULE["pilots-clear-sessions"] = {
    "task": "accounts.tasks.clear_expired_sessions",
    "schedule": 24 * 60 * 60,
    "options": {"expires": 60 * 60},
}
# The monthly follow-up of the access record: drawn once a month has ended; a daily scan finds
# the sites whose review of last month is not drawn yet (one row per site and month).
CELERY_BEAT_SCHEDULE["cases-access-reviews"] = {
    "task": "cases.tasks.scan_access_reviews",
    "schedule": crontab(hour=3, minute=10),
    "options": {"expires": 6 * 3600},
}
CELERY_BEAT_SCHEDULE["cases-retention"] = {
    "task": "cases.tasks.apply_retention",
    "schedule": 24 * 60 * 60,
    "options": {"expires": 60 * 60},
}

# --- People and login (django-allauth): config/settings/login.py ----------------------------

from .login import *  # noqa: E402

# --- Mail ----------------------------------------------------------------------------------

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Triad <triad@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Triad] "

# --- Language, time and format: Swedish first -------------------------------------------------

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and uploaded files -------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploads and generated files: the file system under MEDIA_ROOT, or with STORAGE_URL
    # (s3://bucket?endpoint_url=…, config/storage.py) an S3-compatible object store that every
    # web and worker instance shares. Static files stay with whitenoise, in each instance.
    "default": storage_from_url(env("STORAGE_URL", default="")),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads live outside the static path and are served only through views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Forms ---------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
# A filter's empty choice reads "Alla" (every school, every status) rather than dashes.
FILTERS_EMPTY_CHOICE_LABEL = _("All")

# --- Security defaults that hold everywhere ------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_COOKIE_AGE seconds without a request and TRIAD_SESSION_MAX_AGE
# seconds after sign-in however busy (accounts.sessions renews the idle time as people work).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
TRIAD_SESSION_MAX_AGE = env.int("TRIAD_SESSION_MAX_AGE", default=10 * 60 * 60)
# Sessions are listed per person (allauth.usersessions) at sign-in, so deactivating a person
# ends them all; no per-request tracking (it would write a row on every request).
USERSESSIONS_TRACK_ACTIVITY = False
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts and styles come from our own static files only; an inline <script> needs the
# request's nonce ({{ request.csp_nonce }}); inline style attributes are not allowed at all
# (static/css/triad.css has the classes instead). QR codes for TOTP are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# No page of Triad uses the camera, microphone, location or the like: deny them all.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "infra.errors.rate_limited"
# Behind a reverse proxy, name the header that carries the client's address (e.g.
# HTTP_X_REAL_IP) so rate limits count people, not the proxy.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Absolute links in e-mails (invitations, reminders) start with this.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
