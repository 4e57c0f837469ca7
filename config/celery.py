"""The Celery application: configured from Django settings (CELERY_*), tasks found in each app."""

import datetime
import os

from celery import Celery
from celery.app.utils import Settings
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


class BrokerFromDjango(Settings):
    """Celery's settings, but the broker's address comes from Django's settings only.

    Celery's own `Settings` reads the environment variables CELERY_BROKER_URL (and _READ_URL,
    _WRITE_URL) over any configured value, so an address exported for something else would
    silently replace the one the settings chose, test settings included. Django's settings are
    the one source: config/settings/base.py reads CELERY_BROKER_URL from the environment there."""

    @property
    def broker_url(self):
        return self.first("broker_url", "broker_host")

    @property
    def broker_read_url(self):
        return self.get("broker_read_url") or self.broker_url

    @property
    def broker_write_url(self):
        return self.get("broker_write_url") or self.broker_url


class Triad(Celery):
    """Celery whose configuration is always a `BrokerFromDjango`, before and after it is read
    (Celery builds its `Settings` in several places, none of them configurable)."""

    @property
    def conf(self):
        conf = super().conf
        if not isinstance(conf, BrokerFromDjango):
            # Settings turns attribute assignment into a configuration key: bypass it.
            object.__setattr__(conf, "__class__", BrokerFromDjango)
        return conf

    @conf.setter
    def conf(self, value):
        self._conf = value


app = Triad("triad", task_cls=BoundedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
