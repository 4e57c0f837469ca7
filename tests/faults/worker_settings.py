"""Settings of the Celery worker the drills start as a subprocess: the test settings, but with
the test's live database, a real broker (no eager tasks) and the slow, recording e-mail backend."""

import os

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["TRIAD_DRILL_DB_NAME"]  # noqa: F405
CELERY_BROKER_URL = os.environ["TRIAD_DRILL_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.faults.slowmail.SlowFileBackend"
REMINDER_REQUEUE_AFTER = int(os.environ.get("TRIAD_DRILL_REQUEUE_AFTER", "2"))
