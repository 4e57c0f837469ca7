"""The Celery application: configured from Django settings (CELERY_*), tasks found in each app."""

import datetime
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Redis' default: a message not acknowledged this long after delivery is handed out again.
DEFAULT_VISIBILITY_TIMEOUT = 3600


class BoundedTask(DjangoTask):
    """Every task of Triad. Refuses to be scheduled further ahead than the broker's visibility
    timeout: Redis would hand such a message to a second worker while the first still holds it
    (kombu's Redis transport restores unacknowledged messages after that time), so the task
    would run twice. Wait in the database instead and let a periodic scan find what is due."""

    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, **options):
        limit = visibility_timeout(self.app)
        ahead = options.get("countdown") or 0
        if options.get("eta") is not None:
            eta = options["eta"]
            now = datetime.datetime.now(eta.tzinfo) if eta.tzinfo else datetime.datetime.now()
            ahead = max(ahead, (eta - now).total_seconds())
        if ahead >= limit:
            raise ValueError(
                f"{self.name} scheduled {ahead:.0f} s ahead; the broker's visibility timeout "
                f"is {limit} s. Record it in the database and let a periodic scan find it."
            )
        return super().apply_async(args, kwargs, task_id, producer, **options)


def visibility_timeout(app) -> int:
    options = app.conf.broker_transport_options or {}
    return options.get("visibility_timeout", DEFAULT_VISIBILITY_TIMEOUT)


app = Celery("triad", task_cls=BoundedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
