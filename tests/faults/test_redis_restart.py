"""A Redis restart in the middle of sending reminders is survived and the queue drains, each
reminder delivered exactly once (issue 7, "Celery under faults").

The drill starts its own redis-server on a free port (never the shared one), points a real
worker and this test's producer at it, kills it with SIGKILL while an e-mail is being sent and
starts it again on the same port:
- with an append-only file (as docker-compose runs Redis), the queued messages survive and the
  worker drains them by itself once it has reconnected;
- without persistence, the queue is lost with the restart, but every reminder is a row in
  PostgreSQL: the next periodic scan queues the undelivered ones again."""

import shutil
import signal
import socket
import subprocess
import time
from collections import Counter

import pytest
import redis

from tests.faults.conftest import (
    MailLog,
    Worker,
    drop_cached_connections,
    needs_services,
    people_registered_for_tomorrow,
    wait_for,
)
from workshops.models import SentReminder
from workshops.tasks import scan_reminders

pytestmark = [
    needs_services,
    pytest.mark.skipif(
        not shutil.which("redis-server"), reason="the redis-server program is not installed"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port():
    for port in range(6391, 6400):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 6391-6399 for a private Redis")


class PrivateRedis:
    def __init__(self, tmp_path, persistent: bool):
        self.dir = tmp_path / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.persistent = persistent
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "always"]
            if self.persistent
            else ["--appendonly", "no"]
        )
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.dir),
                "--save",
                "",
                *persistence,
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            start_new_session=True,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        assert wait_for(lambda: self._answers(client), timeout=20), "private Redis did not start"

    @staticmethod
    def _answers(client):
        try:
            return client.ping()
        except redis.RedisError:
            return False

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.kill()


@pytest.fixture(params=["append-only file", "no persistence"])
def drill(request, broker_at, tmp_path):
    private = PrivateRedis(tmp_path, persistent=request.param == "append-only file")
    private.start()
    broker_at(private.url)
    mail_log = MailLog(tmp_path / "mail.log")
    worker = Worker(private.url, mail_log, tmp_path)
    yield private, worker, mail_log
    worker.stop()
    private.stop()


def test_a_redis_restart_mid_run_is_survived_and_every_reminder_goes_once(drill):
    private, worker, mail_log = drill
    emails = people_registered_for_tomorrow(6)
    worker.start()
    scan_reminders.delay()
    assert wait_for(lambda: len(mail_log.sent()) >= 2 and mail_log.mid_send()), worker.log()

    private.kill()
    time.sleep(1)  # the worker notices that its broker is gone
    private.start()
    drop_cached_connections()  # this process' connections died with the old Redis

    if private.persistent:
        # The messages came back with the append-only file: the queue drains by itself.
        assert wait_for(lambda: set(mail_log.sent()) == set(emails), timeout=90), worker.log()
    else:
        # The queue is gone; the rows are not. The next periodic scan queues them again.
        assert SentReminder.objects.filter(delivered_at__isnull=True).exists()
        assert wait_for(lambda: not mail_log.mid_send(), timeout=30)  # the send under way finishes
        time.sleep(2.5)  # the rows wait REMINDER_REQUEUE_AFTER (2 s in the drill)
        scan_reminders.delay()
        assert wait_for(lambda: set(mail_log.sent()) == set(emails), timeout=90), worker.log()
    time.sleep(2)  # room for a duplicate to show up, if there were one
    assert mail_log.sent() == Counter(dict.fromkeys(emails, 1))
    assert not SentReminder.objects.filter(delivered_at__isnull=True).exists()
