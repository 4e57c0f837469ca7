"""Celery's promises under faults, read from the configuration and the code: every task is
acknowledged late and handed back when its worker dies, and nothing waits in the broker longer
than the visibility timeout (after which Redis would hand it to a second worker)."""

import ast
import datetime
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from config.celery import BoundedTask, app, visibility_timeout

ROOT = Path(__file__).resolve().parents[2]
APPS = ("pilots", "cases", "workshops", "config")


def our_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.split(".")[0] in APPS}


def test_there_are_tasks_to_check():
    assert {"workshops.tasks.send_reminder", "workshops.tasks.scan_reminders"} <= set(our_tasks())


@pytest.mark.parametrize("name", sorted(our_tasks()))
def test_task_is_acknowledged_late_and_rejected_when_its_worker_is_lost(name):
    task = app.tasks[name]
    assert task.acks_late is True, f"{name} acknowledges before it has run"
    assert task.reject_on_worker_lost is True, f"{name} is lost with a killed worker"
    assert isinstance(task, BoundedTask)


def test_worker_takes_one_message_at_a_time():
    # A prefetched message sits unacknowledged in a worker that may die; keep that to one.
    assert app.conf.worker_prefetch_multiplier == 1


def test_visibility_timeout_is_set_explicitly():
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == visibility_timeout(app)


@pytest.mark.parametrize("name", sorted(our_tasks()))
def test_task_retries_wait_less_than_the_visibility_timeout(name):
    task = app.tasks[name]
    limit = visibility_timeout(app)
    assert (task.default_retry_delay or 0) < limit
    if getattr(task, "retry_backoff", False):
        assert task.retry_backoff_max < limit


def test_reminder_retry_backoff_and_requeue_wait_less_than_the_visibility_timeout():
    from workshops import tasks

    limit = visibility_timeout(app)
    assert limit > tasks.RETRY_BACKOFF_MAX
    assert limit > settings.REMINDER_REQUEUE_AFTER


@pytest.mark.parametrize("key", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_periodic_tasks_are_short_scans_not_delayed_messages(key):
    """Beat sends each entry when it falls due, so a nightly entry is no delayed message; what
    must hold is that none carries a countdown or ETA, and that a scan still waiting in the queue
    expires (the next one covers the same ground) before the next is sent."""
    entry = settings.CELERY_BEAT_SCHEDULE[key]
    options = entry.get("options", {})
    assert "countdown" not in options and "eta" not in options
    assert "expires" in options, f"{key} has no expiry"
    interval = entry["schedule"]
    if isinstance(interval, crontab):
        assert options["expires"] <= 24 * 60 * 60
    else:
        seconds = interval.total_seconds() if hasattr(interval, "total_seconds") else interval
        assert options["expires"] <= seconds


def _scheduling_keywords():
    """Every countdown=/eta= keyword in our code, with its value if it is a literal number."""
    for app_dir in APPS:
        for path in (ROOT / app_dir).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.keyword) and node.arg in ("countdown", "eta"):
                    literal = node.value.value if isinstance(node.value, ast.Constant) else None
                    yield f"{path.relative_to(ROOT)}:{node.value.lineno}", node.arg, literal


def test_no_literal_countdown_in_the_code_reaches_the_visibility_timeout():
    found = list(_scheduling_keywords())
    assert found, "the scan finds nothing: it no longer reads the code"  # send_reminder retries
    too_far = [
        (where, arg, value)
        for where, arg, value in found
        if isinstance(value, int | float) and value >= visibility_timeout(app)
    ]
    assert not too_far


def test_a_task_scheduled_beyond_the_visibility_timeout_is_refused():
    task = app.tasks["workshops.tasks.scan_reminders"]
    with pytest.raises(ValueError, match="visibility timeout"):
        task.apply_async(countdown=visibility_timeout(app) + 1)
    with pytest.raises(ValueError, match="visibility timeout"):
        task.apply_async(eta=timezone.now() + datetime.timedelta(days=2))
