"""The worker drills: a real `celery -A config worker` subprocess on the test's live PostgreSQL
database and a real Redis. They run when DATABASE_URL is PostgreSQL and REDIS_URL is set (as in
CI); the Redis restart drill also needs the redis-server program to start a private Redis."""

import datetime
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from kombu import pools

from config.celery import app
from tests.pilots.factories import MembershipFactory, PilotSiteFactory
from tests.workshops.factories import ProgrammeFactory, RegistrationFactory, WorkshopFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

needs_services = pytest.mark.skipif(
    not (REDIS_URL and ON_POSTGRES),
    reason="worker drills need DATABASE_URL (PostgreSQL, shared with a worker subprocess) and "
    "REDIS_URL (CI sets both)",
)


def wait_for(condition, timeout=60.0, every=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


class MailLog:
    """What the drill's e-mail backend wrote: `begin <to>` when a send starts, `sent <to>` when
    the mail server has it."""

    def __init__(self, path: Path):
        self.path = path
        path.write_text("")

    def lines(self):
        return [line.split(" ", 1) for line in self.path.read_text().splitlines()]

    def sent(self) -> Counter:
        return Counter(to for what, to in self.lines() if what == "sent")

    def mid_send(self) -> bool:
        lines = self.lines()
        return bool(lines) and lines[-1][0] == "begin"


class Worker:
    """`celery -A config worker` in its own process group, on the test database."""

    def __init__(self, broker_url: str, mail_log: MailLog, tmp_path: Path, pool="prefork"):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "PYTHONPATH": str(ROOT),
            "TRIAD_DRILL_DB_NAME": connection.settings_dict["NAME"],
            "TRIAD_DRILL_BROKER_URL": broker_url,
            "TRIAD_DRILL_MAIL_LOG": str(mail_log.path),
            "TRIAD_DRILL_MAIL_SECONDS": "0.7",
        }
        self.pool, self.tmp_path, self.process, self.starts = pool, tmp_path, None, 0

    def start(self):
        self.starts += 1
        log = open(self.tmp_path / f"worker-{self.starts}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "config",
                "worker",
                f"--pool={self.pool}",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=drill{self.starts}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL takes the pool too
        )

    def pool_children(self):
        """Pids of the pool processes (children of the worker's main process)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def kill(self):
        """SIGKILL the whole worker, as the OOM killer or a lost host would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.kill()

    def log(self):
        return "\n".join(p.read_text() for p in sorted(self.tmp_path.glob("worker-*.log")))


def drop_cached_connections():
    # Celery keeps broker connections (and producers on them) from its first use.
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's registry would hand back the producer pool just closed


@pytest.fixture
def broker_at():
    """broker_at(url): this test process publishes to a real broker at `url`."""
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}

    def point(url):
        app.conf.update(broker_url=url, task_always_eager=False)
        drop_cached_connections()
        return app

    yield point
    app.conf.update(saved)
    drop_cached_connections()


def people_registered_for_tomorrow(count: int):
    """`count` people registered for a workshop three hours from now: each is due one
    'tomorrow' reminder."""
    site = PilotSiteFactory()
    starts = timezone.now() + datetime.timedelta(hours=3)
    workshop = WorkshopFactory(
        programme=ProgrammeFactory(sites=[site]),
        starts_at=starts,
        registration_opens_at=starts - datetime.timedelta(days=30),
        registration_closes_at=starts - datetime.timedelta(days=2),
    )
    people = [MembershipFactory(site=site).user for _ in range(count)]
    for person in people:
        RegistrationFactory(workshop=workshop, user=person, site=site)
    return [p.email for p in people]
