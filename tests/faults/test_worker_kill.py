"""A worker killed with SIGKILL in the middle of sending reminders, then restarted, leaves every
reminder delivered exactly once (issue 7, "Celery under faults").

The e-mail backend of the drill takes 0.7 s per e-mail and writes down when a send begins and
when the 'mail server' has it, so the kill lands inside a send (after `begin`, before `sent`)."""

import os
import signal
import time
from collections import Counter

import pytest

from tests.faults.conftest import (
    REDIS_URL,
    MailLog,
    Worker,
    needs_services,
    people_registered_for_tomorrow,
    wait_for,
)
from workshops.models import SentReminder
from workshops.tasks import scan_reminders

# serialized_rollback: every transactional test puts back the rows the migrations made, so the
# content types keep their ids for the next (see tests/security/test_backups.py).
pytestmark = [needs_services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def drill(broker_at, tmp_path):
    app = broker_at(REDIS_URL)
    with app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()  # only this run's own Redis database
    mail_log = MailLog(tmp_path / "mail.log")
    worker = Worker(REDIS_URL, mail_log, tmp_path)
    yield worker, mail_log
    worker.stop()


def interrupted(mail_log):
    """Who the e-mail was for that was being sent when the kill came."""
    assert mail_log.mid_send()
    return mail_log.lines()[-1][1]


def test_a_pool_process_killed_mid_send_hands_its_reminder_back_and_each_goes_once(drill):
    worker, mail_log = drill
    emails = people_registered_for_tomorrow(4)
    worker.start()
    scan_reminders.delay()
    assert wait_for(lambda: mail_log.sent() and mail_log.mid_send()), worker.log()
    children = worker.pool_children()
    assert len(children) == 1, worker.log()
    cut_off = interrupted(mail_log)
    os.kill(children[0], signal.SIGKILL)

    # acks_late + reject_on_worker_lost: the worker hands the message back to Redis at once and
    # a fresh pool process sends it. No scan runs here, so nothing else could recover it.
    assert wait_for(lambda: set(mail_log.sent()) == set(emails)), worker.log()
    time.sleep(2)  # room for a duplicate to show up, if there were one
    assert mail_log.sent() == Counter(dict.fromkeys(emails, 1))
    begun = Counter(to for what, to in mail_log.lines() if what == "begin")
    assert begun[cut_off] == 2
    assert not SentReminder.objects.filter(delivered_at__isnull=True).exists()


def test_a_worker_killed_mid_send_and_restarted_delivers_every_reminder_once(drill):
    worker, mail_log = drill
    emails = people_registered_for_tomorrow(6)
    worker.start()
    scan_reminders.delay()
    assert wait_for(lambda: len(mail_log.sent()) >= 2 and mail_log.mid_send()), worker.log()
    cut_off = interrupted(mail_log)
    worker.kill()
    assert cut_off not in mail_log.sent()

    worker.start()
    # The e-mails still queued drain through the new worker. The one the dead worker held stays
    # unacknowledged in Redis until the visibility timeout; meanwhile its row is undelivered...
    others = set(emails) - {cut_off}
    assert wait_for(lambda: set(mail_log.sent()) >= others), worker.log()
    # A message is logged as sent a moment before its row is marked delivered: on a busy machine
    # the last of the others may still be between the two.
    undelivered = SentReminder.objects.filter(delivered_at__isnull=True)
    assert wait_for(lambda: undelivered.count() == 1), list(undelivered.values_list("id"))
    assert undelivered.get().recipient.email == cut_off
    # ...so the next periodic scan queues it again (REMINDER_REQUEUE_AFTER is 2 s in the drill).
    scan_reminders.delay()
    assert wait_for(lambda: set(mail_log.sent()) == set(emails)), worker.log()
    time.sleep(2)
    assert mail_log.sent() == Counter(dict.fromkeys(emails, 1))
    assert not SentReminder.objects.filter(delivered_at__isnull=True).exists()
