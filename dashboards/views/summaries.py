"""What every dashboard reads of the stored summaries: the latest of each site, counts from a
summary's payload, and whether a refresh asked for is still being built."""

import datetime

from django.db.models import IntegerField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from pilots.scoping import SiteViewMixin

from ..models import SiteSummary

# A refresh nobody has answered for this long is taken as lost (no worker ran it).
REFRESH_PATIENCE = datetime.timedelta(hours=1)


def latest_summaries():
    return SiteSummary.objects.latest_per_site().select_related("site", "region")


# The counts of each site's cases that small numbers are hidden with, read from the summary's
# payload in the same query (the national table and a site's history do not load the payload).
PAYLOAD_COUNTS = {
    key: Cast(KT(f"payload__cases__all__{key}"), IntegerField())
    for key in ("resolved", "referred", "self_referrals", "with_consent", "with_intervention")
}


class SiteSummaryMixin(SiteViewMixin):
    """A site's page that reads its latest summary."""

    def get_summary(self, *, payload=True):
        """The site's latest summary; without its payload (the figures, read when first
        touched) where only its identity is needed."""
        summaries = SiteSummary.objects.filter(site=self.site, is_latest=True)
        if not payload:
            summaries = summaries.defer("payload")
        return summaries.select_related("site").first()

    def is_building(self, summary):
        """A refresh was asked for after the latest summary was built, and not long ago."""
        requests = self.site.summary_requests.filter(
            requested_at__gte=timezone.now() - REFRESH_PATIENCE
        )
        if summary is not None:
            requests = requests.filter(requested_at__gt=summary.built_at)
        return requests.exists()
