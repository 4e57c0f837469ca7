from celery import shared_task

from . import retention


@shared_task(ignore_result=True)
def apply_retention() -> int:
    """The nightly scan (beat): remove the cases of sites closed longer than their retention
    period. Each site is its own transaction; a site done is not found again."""
    return sum(record.cases_removed for record in retention.apply())
