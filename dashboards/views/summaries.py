"""What every dashboard reads of the stored summaries: the latest of each site, counts from a
summary's payload, and whether a refresh asked for is still being built."""

import datetime

from django.db.models import IntegerField, Max
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


def building(asked_at, built_at) -> bool:
    """A refresh asked for at `asked_at` is still being built: asked for after the latest
    summary was built (`built_at`, None before the first), and not long ago."""
    if asked_at is None or asked_at < timezone.now() - REFRESH_PATIENCE:
        return False
    return built_at is None or asked_at > built_at


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
        asked = self.site.summary_requests.aggregate(at=Max("requested_at"))["at"]
        return building(asked, summary.built_at if summary else None)
