from celery import shared_task
from django_scopes import scopes_disabled

from . import access_review, retention


@shared_task(ignore_result=True)
@scopes_disabled()  # reads every site
def apply_retention() -> int:
    """The nightly scan (beat): remove the cases of sites closed longer than their retention
    period, and access lines older than the access log's. Each site is its own transaction;
    a site done is not found again."""
    return sum(record.cases_removed for record in retention.apply())


@shared_task(ignore_result=True)
@scopes_disabled()  # reads every site
def scan_access_reviews() -> int:
    """The daily scan (beat): draw last month's access review of every site that read cases
    then and has none yet (one row per site and month, so a second run draws nothing)."""
    return len(access_review.draw_due())
