from celery import shared_task
from django_scopes import scopes_disabled

from . import retention


@shared_task(ignore_result=True)
@scopes_disabled()  # reads every site
def apply_retention() -> int:
    """The nightly scan (beat): remove the cases of sites closed longer than their retention
    period. Each site is its own transaction; a site done is not found again."""
    return sum(record.cases_removed for record in retention.apply())
