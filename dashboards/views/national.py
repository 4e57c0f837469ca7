"""The coordinators' pages: every site side by side, and the same as a spreadsheet. Small
numbers are always hidden here: coordinators may not see cases."""

from collections import Counter

from django.db.models import Count, Exists, FilteredRelation, Max, OuterRef, Q, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from django_filters.views import FilterView

from cases.disclosure import HIDDEN_FIGURE, Figure, bounds, case_group, gives_away, threshold
from infra import spreadsheets
from infra.kept import kept, kept_html
from pilots.models import Phase, PilotSite
from pilots.scoping import CoordinatorRequiredMixin

from .. import spc, trends
from ..filters import SummaryFilter
from ..models import ChartSettings, Rules, SummaryRequest
from ..presenters import attention_labels, chart_words
from ..tables import NationalExportTable
from ..tasks import build_site_summary
from .summaries import PAYLOAD_COUNTS, REFRESH_PATIENCE, latest_summaries


def national_figures(s):
    """A site's row in the national table, small numbers hidden (coordinators may not see
    cases). Each row is a whole site: its count of cases is exact, its parts are not."""
    return case_group(
        {
            "total": s.cases_total,
            "open": s.cases_open,
            "resolved": s.resolved or 0,
            "referred": s.referred or 0,
            "self_referrals": s.self_referrals or 0,
            "with_intervention": s.with_intervention or 0,
            "sip": 0,
            "with_consent": s.with_consent or 0,
            "median_days": s.median_days,
        },
        viewer=None,
    )


def national_open(summaries, rows):
    """The open cases of the sites listed, unless the sum gives away a site's hidden count.
    What a reader knows of a hidden one: its range, and the site's count of cases less the
    range of its closed ones."""
    total = sum(s.cases_open for s in summaries)
    hidden = {
        s.pk: s.cases_open for s, row in zip(summaries, rows, strict=True) if row["open"].hidden
    }
    if not hidden:
        return Figure(total)
    t = threshold()
    known = {}
    for s in summaries:
        if s.pk in hidden:
            lo, hi = bounds(s.cases_open, t)
            lo_closed, hi_closed = bounds(s.cases_total - s.cases_open, t)
            known[s.pk] = (max(lo, s.cases_total - hi_closed), min(hi, s.cases_total - lo_closed))
    return HIDDEN_FIGURE if gives_away(hidden, t, known) else Figure(total)


# The national table's columns: (ordering key, heading, a number?). Headers sort by the key
# (`?o=key`, or `?o=-key` for the largest first); each measure has its column.
COLUMNS = [
    ("site", gettext_lazy("Site"), False),
    ("phase", gettext_lazy("Phase"), False),
    ("cases", gettext_lazy("Cases"), True),
    ("open", gettext_lazy("Open"), True),
    ("median", gettext_lazy("Median days to first intervention"), True),
    ("self", gettext_lazy("Self-referrals (%)"), True),
    ("resolved", gettext_lazy("Resolved at the first line (%)"), True),
    ("consent", gettext_lazy("Consent to share (%)"), True),
    ("overdue", gettext_lazy("Overdue deliverables"), True),
    ("attention", gettext_lazy("Needs attention"), True),
]
DEFAULT_ORDER = "-attention"
ORDERS = {key for key, _label, _n in COLUMNS} | {f"-{key}" for key, _label, _n in COLUMNS}
PHASES = {value: i for i, value in enumerate(Phase.values)}


def order_of(request):
    """The order asked for (`o`), or the default: an unknown key is ignored."""
    asked = request.GET.get("o", "")
    return asked if asked in ORDERS else DEFAULT_ORDER


def rules_of(request):
    """The rule set the trends are read by: Anhøj's unless the IHI's are asked for."""
    asked = request.GET.get("rules", "")
    return asked if asked in spc.RULES else "anhoej"


def sort_rows(rows, order):
    """The rows in the order asked for, ties by name. Rows whose figure is hidden or missing
    come last, by name, whichever way round: where a hidden figure sorted would tell its size."""

    def value(row):
        v = row["sort"][key]
        return v.data if isinstance(v, Figure) else v

    key = order.lstrip("-")
    by_name = sorted(rows, key=lambda row: row["sort"]["site"])
    shown = [row for row in by_name if value(row) is not None]
    shown.sort(key=value, reverse=order.startswith("-"))  # stable: equal ones stay by name
    return shown + [row for row in by_name if value(row) is None]


class NationalView(CoordinatorRequiredMixin, View):
    """Every site side by side: what needs attention first, sortable by any column, filterable;
    above it the trends per month across every site, one small chart per measure
    (dashboards/trends.py).

    The table is rendered with a plain loop and kept in the cache, keyed by the newest
    summary: 290 rows through django-tables2 took over a second, and the figures only change
    when summaries are rebuilt. It is sorted here rather than in the database, so that a hidden
    figure is not placed by its value."""

    def get(self, request, *args, **kwargs):
        # How many sites there are and how many have a summary, with the newest's build time:
        # one query. Only when some site has none are those sites read.
        latest = FilteredRelation("summaries", condition=Q(summaries__is_latest=True))
        version = (
            PilotSite.objects.alias(latest=latest)
            .order_by()
            .aggregate(sites=Count("pk"), n=Count("latest"), last=Max("latest__built_at"))
        )
        waiting = self.without_summary() if version["n"] < version["sites"] else []
        built = [str(version["last"]), str(version["n"])]
        parts = [*built, ",".join(str(site.pk) for site in waiting), request.GET.urlencode()]
        context = {
            "body": kept_html(
                "national",
                parts,
                "dashboards/_national_body.html",
                lambda: self.body_context(request, built),
            ),
            "export_query": request.GET.urlencode(),
            "waiting": waiting,
        }
        return render(request, "dashboards/national.html", context)

    def without_summary(self):
        """Every site with no summary yet (a site accepted today): listed as such, and a build
        of each is asked for at once unless one was asked for within the hour (two queries,
        however many sites)."""
        recent = SummaryRequest.objects.filter(
            site=OuterRef("pk"), requested_at__gte=timezone.now() - REFRESH_PATIENCE
        )
        waiting = list(
            PilotSite.objects.exclude(summaries__is_latest=True)
            .annotate(asked=Exists(recent))
            .select_related("region")
            .order_by("name")
        )
        unasked = [site for site in waiting if not site.asked]
        if unasked:
            SummaryRequest.objects.bulk_create(
                SummaryRequest(site=site, requested_by=self.request.user) for site in unasked
            )
            for site in unasked:
                build_site_summary.delay_on_commit(site.pk)
        return waiting

    def trend_charts(self, rules, built):
        """The trends' charts, kept apart from the table: sorting or filtering the table does
        not change them, so it need not add them up again."""
        today = timezone.localdate()
        return kept(
            "national:trends",
            [*built, rules, today.isoformat()],
            lambda: trends.national_charts(trends.national_periods(today), rules),
        )

    def body_context(self, request, built):
        filterset = SummaryFilter(
            request.GET,
            queryset=latest_summaries().defer("payload").annotate(**PAYLOAD_COUNTS).order_by(),
        )
        summaries = list(filterset.qs)
        rows = []
        for s in summaries:
            figures = national_figures(s)
            row = {
                "pk": s.pk,
                "name": s.site.name,
                "url": reverse("dashboards:site", kwargs={"site_slug": s.site.slug}),
                "region": s.region.name if s.region else "",
                "phase": s.get_phase_display(),
                "cases": s.cases_total,
                "open": figures["open"],
                "median": figures["median_days"],
                "self": figures["self_referral_share"],
                "resolved": figures["resolved_share"],
                "consent": figures["consent_share"],
                "overdue": s.overdue_deliverables,
                "attention": s.attention,
                "signs": [label for _k, label in attention_labels(s.signs)],
                "weeks": ", ".join(str(n) for n in s.recent_weeks) or "–",
            }
            row["sort"] = {key: row.get(key) for key, _label, _n in COLUMNS}
            row["sort"] |= {"site": s.site.name.casefold(), "phase": PHASES.get(s.phase)}
            rows.append(row)
        by_phase = Counter(s.phase for s in summaries)
        phases = [(label, by_phase.get(value, 0)) for value, label in Phase.choices]
        totals = {
            "sites": len(rows),
            "cases": sum(s.cases_total for s in summaries),
            "open": national_open(summaries, rows),
            "attention": sum(1 for s in summaries if s.attention),
            "overdue": sum(1 for s in summaries if s.overdue_deliverables),
        }
        figures = [
            row[k] for row in rows for k in ("open", "median", "self", "resolved", "consent")
        ]
        order = order_of(request)
        rules = rules_of(request)
        trend_charts = self.trend_charts(rules, built)
        return {
            "filter": filterset,
            "rows": sort_rows(rows, order),
            "order": order,
            "hides": any(f.hidden for f in [*figures, totals["open"]]),
            "columns": self.columns(request, order),
            "totals": totals,
            "phases": phases,
            "trends": trend_charts,
            "rules": rules,
            "trend_rules": self.rule_links(request, rules),
            "charts": {
                "phases": {
                    "labels": [str(label) for label, _n in phases],
                    "datasets": [{"label": _("Sites"), "data": [n for _l, n in phases]}],
                },
                "sparks": {str(s.pk): s.recent_weeks for s in summaries},
                "measures": trend_charts,
                "words": chart_words(),
            },
            "export_query": request.GET.urlencode(),
            "path": request.path,
        }

    def rule_links(self, request, current):
        """The rule sets the trends may be read by, each with the link that chooses it."""
        links = []
        for value, label in Rules.choices:
            query = request.GET.copy()
            query["rules"] = value
            links.append(
                {"label": label, "url": f"?{query.urlencode()}", "current": value == current}
            )
        return links

    def columns(self, request, current):
        """Each heading with the link that sorts by it (again: the other way round)."""
        headings = []
        for key, label, numeric in COLUMNS:
            first = f"-{key}" if numeric else key
            if current == key:
                target, sort = f"-{key}", "ascending"
            elif current == f"-{key}":
                target, sort = key, "descending"
            else:
                target, sort = first, None
            query = request.GET.copy()
            query["o"] = target
            headings.append(
                {"label": label, "url": f"?{query.urlencode()}", "sort": sort, "numeric": numeric}
            )
        return headings


class NationalExportView(CoordinatorRequiredMixin, FilterView):
    """The national overview (as filtered) as CSV or XLSX."""

    filterset_class = SummaryFilter

    def get_queryset(self):
        return latest_summaries()

    def get(self, request, *args, **kwargs):
        if request.GET.get("table") == "trends":
            return self.trends_spreadsheet(request)
        filterset = self.get_filterset(self.get_filterset_class())
        rules = ChartSettings.objects.filter(site=OuterRef("site")).values("rules")
        summaries = filterset.qs if filterset.is_valid() else self.get_queryset()
        columns, chunks = NationalExportTable(
            summaries.annotate(chart_rules=Subquery(rules))
        ).spreadsheet()
        stamp = timezone.localdate().isoformat()
        return spreadsheets.response(
            spreadsheets.format_of(request),
            columns,
            chunks,
            f"triad-sites-{stamp}",
            title=_("Sites"),
            notes=True,
        )

    def trends_spreadsheet(self, request):
        """The national trends (every site, whatever the filter), one row per month."""
        periods = trends.national_periods(timezone.localdate())
        columns, chunks = trends.spreadsheet(
            periods, trends.national_charts(periods, rules_of(request))
        )
        stamp = timezone.localdate().isoformat()
        return spreadsheets.response(
            spreadsheets.format_of(request),
            columns,
            chunks,
            f"triad-trends-{stamp}",
            title=_("Trends per month"),
            notes=True,
        )
