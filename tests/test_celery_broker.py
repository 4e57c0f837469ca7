"""The broker's address has one source, Django's settings. Celery on its own reads the
environment variable CELERY_BROKER_URL over the setting; exported for a deployment, it once
sent the test suite's drills to another broker (17 failures, "Acquire on closed pool")."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parents[1]
BOGUS = "redis://broker-from-the-environment.invalid:1/0"
SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    "from config.celery import app; c = app.conf; "
    "print(json.dumps([settings.CELERY_BROKER_URL, c.broker_url, c.broker_read_url, "
    "c.broker_write_url, app.connection_for_write().as_uri(include_password=True)]))"
)


def broker_seen(settings_module, **env):
    """[the setting, and Celery's broker_url, read and write URLs and connection] in a fresh
    process with these settings and environment variables."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_test_settings_take_the_broker_from_redis_url_never_from_the_environment():
    seen = broker_seen(
        "config.settings.test",
        CELERY_BROKER_URL=BOGUS,
        CELERY_BROKER_READ_URL=BOGUS,
        CELERY_BROKER_WRITE_URL=BOGUS,
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert seen == ["redis://127.0.0.1:6379/5"] * 5


def test_without_redis_the_test_settings_keep_the_in_memory_broker():
    seen = broker_seen("config.settings.test", CELERY_BROKER_URL=BOGUS)
    assert seen[:4] == ["memory://"] * 4
    assert seen[4].startswith("memory://")


def test_elsewhere_the_environment_variable_chooses_the_broker_through_the_setting():
    seen = broker_seen(
        "config.settings.local", CELERY_BROKER_URL=BOGUS, REDIS_URL="redis://127.0.0.1:6379/5"
    )
    assert seen == [BOGUS] * 5


def test_celery_in_this_process_ignores_the_variable(monkeypatch):
    for name in ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL"):
        monkeypatch.setenv(name, BOGUS)
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.broker_read_url == settings.CELERY_BROKER_URL
    assert app.conf.broker_write_url == settings.CELERY_BROKER_URL
