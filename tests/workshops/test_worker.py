"""A real Celery worker against Redis: the periodic scan and the e-mail tasks it queues run in
the worker, through the broker, and each reminder arrives exactly once even when the scan is
delivered twice. Runs when REDIS_URL is set (as in CI); uses its own Redis database (15)."""

import datetime
import os
import time
import urllib.parse

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from celery.signals import task_postrun
from django.core import mail
from django.db import connections
from django.utils import timezone

from config.celery import app
from tests.pilots.factories import MembershipFactory, PilotSiteFactory
from tests.workshops.factories import ProgrammeFactory, RegistrationFactory, WorkshopFactory
from workshops.models import ReminderKind, SentReminder
from workshops.tasks import scan_reminders

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set (CI sets it)")


def separate_database(url: str, db: int = 15) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{db}"))


def _close_worker_connections(**kwargs):
    # The worker runs in its own thread with its own database connections; close them after
    # each task so the test database can be flushed and dropped afterwards.
    connections.close_all()


def _drop_cached_connections():
    # Celery caches its broker connections (and the producers built on them) from the first
    # use; an earlier eager test may have made them for the in-memory broker.
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def real_broker():
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=separate_database(REDIS_URL), task_always_eager=False)
    _drop_cached_connections()
    with app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()  # only our own database 15
    task_postrun.connect(_close_worker_connections, weak=False)
    yield app
    task_postrun.disconnect(_close_worker_connections)
    app.conf.update(saved)
    _drop_cached_connections()


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_delivers_a_reminder_exactly_once(real_broker):
    site = PilotSiteFactory()
    person = MembershipFactory(site=site).user
    starts = timezone.now() + datetime.timedelta(hours=3)
    workshop = WorkshopFactory(
        programme=ProgrammeFactory(sites=[site]),
        starts_at=starts,
        registration_opens_at=starts - datetime.timedelta(days=30),
        registration_closes_at=starts - datetime.timedelta(days=2),
    )
    RegistrationFactory(workshop=workshop, user=person, site=site)

    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        # Beat fires twice (or the broker redelivers the scan): the reminder still goes once.
        results = [scan_reminders.delay(), scan_reminders.delay()]
        assert not any(isinstance(r, EagerResult) for r in results), (
            "ran in-process, not in a worker"
        )
        assert wait_for(lambda: len(mail.outbox) >= 1), "no e-mail arrived from the worker"
        time.sleep(3)  # room for a duplicate to show up, if there were one

    assert [m.to for m in mail.outbox] == [[person.email]]
    assert workshop.title in mail.outbox[0].subject
    assert (
        SentReminder.objects.filter(kind=ReminderKind.WORKSHOP_DAY, recipient=person).count() == 1
    )
