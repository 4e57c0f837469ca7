"""Building progress summaries. One build reads every site it is given with grouped aggregate
queries (`values("site").annotate(…)`): about twenty queries whether it builds one site or
three hundred, and however many cases they hold. Nothing loops over cases in Python, except
the median on SQLite, which has no percentile function (PostgreSQL computes it).

The nightly task, the refresh button, `manage.py build_summaries` and the demo all call
`build_summaries`, so they produce the same summary from the same data. The queries for each
part of a summary live in `dashboards.figures`; this module puts them together and keeps them.

The nightly build (and the command without --site or --all) builds only the sites whose
summary is out of date (`out_of_date`, dashboards/changes.py): after one case changed, one
site. A refresh or `--site` builds regardless."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from pilots.models import Phase, PilotSite

from .changes import code_version
from .figures.caseload import case_figures
from .figures.governance import governance_figures, plan_figures
from .figures.horizon import fresh_until
from .figures.interventions import intervention_figures
from .figures.participation import workshop_figures
from .figures.starting_points import starting_point_figures
from .models import SiteDataVersion, SiteMonth, SiteSummary, SummaryPdf, Trigger

# A median wait to the first intervention longer than this needs attention.
LONG_WAIT_DAYS = 14
# Sites in these phases are expected to log cases; none logged needs attention.
CASE_PHASES = (Phase.TESTING, Phase.REPORTING)
# The national table's small chart shows this many of the latest weeks.
SPARK_WEEKS = 12


def attention(phase, cases_total, median_days, overdue):
    """The warning signs a coordinator looks for first, as keys (see templates)."""
    signs = []
    if overdue:
        signs.append("overdue")
    if phase in CASE_PHASES and not cases_total:
        signs.append("no_cases")
    if median_days is not None and median_days > LONG_WAIT_DAYS:
        signs.append("long_wait")
    return signs


def collect(sites, now=None) -> dict:
    """{site id: payload} for the given sites (a list of PilotSite with region loaded)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    site_ids = [s.pk for s in sites]
    cases = case_figures(site_ids, today)
    governance = governance_figures(site_ids, today)
    plans = plan_figures(site_ids)
    workshops = workshop_figures(site_ids, now)
    interventions = intervention_figures(site_ids)
    starting_points = starting_point_figures(site_ids)
    payloads = {}
    for site in sites:
        c = cases[site.pk]
        all_cases = c["cases"]["all"]
        overdue = workshops[site.pk]["deliverables"]["overdue"]
        payloads[site.pk] = {
            "site": {
                "name": site.name,
                "slug": site.slug,
                "phase": site.phase,
                "region": site.region.name,
            },
            "governance": governance[site.pk],
            "plans": plans[site.pk],
            "workshops": workshops[site.pk],
            "tests": c["tests"],
            "cases": c["cases"],
            "interventions": interventions[site.pk],
            "starting_points": starting_points[site.pk],
            "attention": attention(
                site.phase, all_cases["total"], all_cases["median_days"], overdue
            ),
        }
    return payloads


def site_months(summary):
    """The summary's months with cases, as rows the national trends add up (unsaved)."""
    return [
        SiteMonth(
            summary=summary,
            month=datetime.date.fromisoformat(p["month"]),
            cases=p["n"],
            closed=p["closed"],
            resolved=p["resolved"],
            self_referrals=p["self_referrals"],
            with_consent=p["with_consent"],
            reached=p["reached"],
            days=p["days"],
        )
        for p in summary.payload["cases"]["monthly"]
        if p["n"]
    ]


def with_data_version(sites):
    """The sites with the count of their data changes (`data_version`), read in the same query
    as the sites themselves, so before any of their figures."""
    counted = SiteDataVersion.objects.filter(site=OuterRef("pk")).values("version")
    return sites.annotate(data_version=Coalesce(Subquery(counted), 0))


def out_of_date(now=None):
    """The sites whose latest summary is out of date, or that have none (one query)."""
    now = now or timezone.now()
    current = SiteSummary.objects.filter(
        Q(fresh_until__isnull=True) | Q(fresh_until__gt=now),
        site=OuterRef("pk"),
        is_latest=True,
        data_version=OuterRef("data_version"),
        code_version=code_version(),
    )
    return with_data_version(PilotSite.objects.all()).filter(~Exists(current))


def build_summaries(sites=None, *, trigger=Trigger.COMMAND) -> list[SiteSummary]:
    """Build and keep a new summary of each site (all sites by default); the new ones become
    the latest, and the PDFs of those they replace are deleted. Returns them."""
    queryset = PilotSite.objects.all() if sites is None else sites
    if isinstance(queryset, PilotSite):
        queryset = PilotSite.objects.filter(pk=queryset.pk)
    site_list = list(with_data_version(queryset.select_related("region")).order_by("pk"))
    if not site_list:
        return []
    now = timezone.now()
    payloads = collect(site_list, now)
    with_cases = [pk for pk, p in payloads.items() if p["cases"]["all"]["total"]]
    until = fresh_until(list(payloads), now, with_cases)
    built_at = timezone.now()
    summaries = []
    for site in site_list:
        payload = payloads[site.pk]
        all_cases = payload["cases"]["all"]
        summaries.append(
            SiteSummary(
                site=site,
                built_at=built_at,
                trigger=trigger,
                is_latest=True,
                phase=site.phase,
                region_id=site.region_id,
                cases_total=all_cases["total"],
                cases_open=all_cases["open"],
                median_days=all_cases["median_days"],
                self_referral_share=all_cases["self_referral_share"],
                resolved_share=all_cases["resolved_share"],
                signs=payload["attention"],
                recent_weeks=[w["n"] for w in payload["cases"]["weekly"]][-SPARK_WEEKS:],
                overdue_deliverables=payload["workshops"]["deliverables"]["overdue"],
                attention=len(payload["attention"]),
                payload=payload,
                data_version=site.data_version,
                fresh_until=until[site.pk],
                code_version=code_version(),
            )
        )
    with transaction.atomic():
        # The months of the summaries being replaced: only the latest summaries' are added up.
        SiteMonth.objects.filter(summary__site__in=site_list, summary__is_latest=True).delete()
        SiteSummary.objects.filter(site__in=site_list, is_latest=True).update(is_latest=False)
        SiteSummary.objects.bulk_create(summaries, batch_size=500)
        SiteMonth.objects.bulk_create(
            (month for summary in summaries for month in site_months(summary)), batch_size=1000
        )
        # Replaced summaries' PDFs (and any drawn for one while it was being replaced).
        SummaryPdf.objects.filter(summary__is_latest=False).delete()
    return summaries


def build_changed_summaries(*, trigger=Trigger.NIGHTLY) -> tuple[list[SiteSummary], int]:
    """A new summary of every site whose latest is out of date. Returns the new summaries and
    how many sites were left as they were."""
    now = timezone.now()
    changed = list(out_of_date(now).values_list("pk", flat=True))
    built = build_summaries(PilotSite.objects.filter(pk__in=changed), trigger=trigger)
    return built, PilotSite.objects.count() - len(built)
