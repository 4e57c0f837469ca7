"""A developer's machine: `make run`. SQLite and a local-memory cache unless DATABASE_URL /
REDIS_URL are set. Without Redis, Celery's broker is a folder (kombu's filesystem transport,
var/celery/): `make run` starts a worker and beat beside the web server, so reminders, digests
and summaries run as in production. E-mail is written to files in var/mail/ (EMAIL_URL to
change it), and links in e-mails and calendar files point at the port served (PORT) unless
SITE_URL says otherwise."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: E402

INTERNAL_IPS = ["127.0.0.1"]

# The demo programme and the scale generator (seed_demo, seed_scale); never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # `make run` serves the demo from SQLite, with a worker and beat writing beside the web
    # process and sign-ins at the same moment. Readers never wait for a writer (WAL); a writer
    # takes the write lock when its transaction begins (IMMEDIATE), so a transaction that
    # read first cannot fail to upgrade; and a writer waits up to 20 s for another's lock
    # instead of answering "database is locked" (tests/deploy/test_sqlite_concurrency.py).
    # Here only, not in base: the test suite's in-memory database is shared between threads
    # by table locks, which an IMMEDIATE transaction in a second thread fails on at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# Links in e-mails and calendar files: the port `make run` serves on (it exports PORT to the
# web server, the worker and beat alike), unless SITE_URL is set.
SITE_URL = env(  # noqa: F405
    "SITE_URL",
    default=f"http://127.0.0.1:{env('PORT', default='8000')}",  # noqa: F405
).rstrip("/")

# E-mail as files, one per message, in var/mail/: loading the demo prints nothing.
if "EMAIL_URL" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"  # noqa: F405

# Without Redis the broker is a folder: tasks wait there for the worker `make run` starts.
if not REDIS_URL and "CELERY_BROKER_URL" not in os.environ:  # noqa: F405
    CELERY_BROKER_URL = "filesystem://"
    CELERY_TASK_ALWAYS_EAGER = False
    _queue = BASE_DIR / "var" / "celery"  # noqa: F405
    for _folder in ("queue", "processed", "control"):
        (_queue / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        # Its exchange table, else written to a folder `control/` wherever the command runs.
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
    # The folder transport has no broadcast: no remote control (celery inspect) here.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
