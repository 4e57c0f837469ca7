from celery import shared_task
from django_scopes import scopes_disabled

from pilots.models import PilotSite

from . import digests
from .models import Trigger
from .services import build_changed_summaries, build_summaries


@shared_task(ignore_result=True)
@scopes_disabled()  # reads every site
def build_all_summaries() -> int:
    """The nightly build (beat): a new summary of every site whose latest is out of date, in
    one pass of grouped queries."""
    built, _skipped = build_changed_summaries(trigger=Trigger.NIGHTLY)
    return len(built)


@shared_task(ignore_result=True)
@scopes_disabled()  # reads every site
def build_site_summary(site_id: int) -> int:
    """A refresh someone asked for on the site's dashboard."""
    return len(build_summaries(PilotSite.objects.filter(pk=site_id), trigger=Trigger.REFRESH))


@shared_task(ignore_result=True)
@scopes_disabled()  # reads every site
def scan_digests() -> int:
    """The periodic scan (beat, hourly): send each weekly digest that is due and unsent."""
    return digests.dispatch()
