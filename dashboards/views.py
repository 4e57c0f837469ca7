"""The dashboards: national (coordinators) and per site (everyone who follows the site).
Both read the latest stored summaries, so a page runs the same few queries however much data
there is. Nothing here shows or links to a single case, and small numbers are hidden from all
but the site's leads and working-group members: the national pages, the exports and the
steering group's PDF always hide them (cases/disclosure.py)."""

import datetime
import hashlib
from collections import Counter

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, UpdateView, View
from django_filters.views import FilterView

from cases.disclosure import HIDDEN_FIGURE, Figure, bounds, case_group, gives_away, threshold
from infra import spreadsheets
from pilots.models import Phase, PilotSite
from pilots.scoping import CoordinatorRequiredMixin, SiteViewMixin

from . import pdfs
from .filters import SummaryFilter
from .forms import ChartSettingsForm
from .models import Audience, ChartSettings, SiteSummary, SummaryPdf, SummaryRequest
from .presenters import SummaryView, attention_labels
from .tables import NationalExportTable
from .tasks import build_site_summary

# A refresh nobody has answered for this long is taken as lost (no worker ran it).
REFRESH_PATIENCE = datetime.timedelta(hours=1)


def latest_summaries():
    return SiteSummary.objects.latest_per_site().select_related("site", "region")


# The counts of each site's cases the national table hides small numbers with, read from the
# summary's payload in the same query (the table does not load the payload itself).
_PAYLOAD_COUNTS = {
    key: Cast(KT(f"payload__cases__all__{key}"), IntegerField())
    for key in ("resolved", "referred", "self_referrals", "with_intervention")
}


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
            "with_consent": 0,
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


# The national table's columns: (ordering key, heading, a number?). Headers sort by the key.
COLUMNS = [
    ("site", gettext_lazy("Site"), False),
    ("phase", gettext_lazy("Phase"), False),
    ("cases", gettext_lazy("Cases"), True),
    ("open", gettext_lazy("Open"), True),
    ("median", gettext_lazy("Median days to first intervention"), True),
    ("self", gettext_lazy("Self-referrals (%)"), True),
    ("resolved", gettext_lazy("Resolved at the first line (%)"), True),
    ("overdue", gettext_lazy("Overdue deliverables"), True),
    ("attention", gettext_lazy("Needs attention"), True),
]
# The rendered table is kept until a summary is rebuilt (its key changes) or this long.
NATIONAL_CACHE_SECONDS = 10 * 60


class NationalView(CoordinatorRequiredMixin, View):
    """Every site side by side: what needs attention first, sortable, filterable.

    The table is rendered with a plain loop and kept in the cache, keyed by the newest
    summary: 290 rows through django-tables2 took over a second, and the figures only change
    when summaries are rebuilt."""

    def get(self, request, *args, **kwargs):
        waiting = self.without_summary()
        version = latest_summaries().aggregate(last=Max("built_at"), n=Count("pk"))
        key = (
            "dashboards:national:"
            + hashlib.sha256(
                "|".join(
                    [
                        translation.get_language() or "",
                        str(version["last"]),
                        str(version["n"]),
                        ",".join(str(site.pk) for site in waiting),
                        request.GET.urlencode(),
                    ]
                ).encode()
            ).hexdigest()
        )
        body = cache.get(key)
        if body is None:
            body = render_to_string(
                "dashboards/_national_body.html", self.body_context(request), request=request
            )
            cache.set(key, body, NATIONAL_CACHE_SECONDS)
        # Our own rendered template, kept as it was rendered.
        context = {
            "body": mark_safe(body),  # noqa: S308
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

    def body_context(self, request):
        filterset = SummaryFilter(
            request.GET,
            queryset=latest_summaries()
            .defer("payload")
            .annotate(**_PAYLOAD_COUNTS)
            .order_by("-attention", "site__name"),
        )
        summaries = filterset.qs
        rows = []
        for s in summaries:
            figures = national_figures(s)
            rows.append(
                {
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
                    "overdue": s.overdue_deliverables,
                    "signs": [label for _k, label in attention_labels(s.signs)],
                    "weeks": ", ".join(str(n) for n in s.recent_weeks) or "–",
                }
            )
        by_phase = Counter(s.phase for s in summaries)
        phases = [(label, by_phase.get(value, 0)) for value, label in Phase.choices]
        totals = {
            "sites": len(rows),
            "cases": sum(s.cases_total for s in summaries),
            "open": national_open(summaries, rows),
            "attention": sum(1 for s in summaries if s.attention),
            "overdue": sum(1 for s in summaries if s.overdue_deliverables),
        }
        figures = [row[k] for row in rows for k in ("open", "median", "self", "resolved")]
        return {
            "filter": filterset,
            "rows": rows,
            "hides": any(f.hidden for f in [*figures, totals["open"]]),
            "columns": self.columns(request),
            "totals": totals,
            "phases": phases,
            "charts": {
                "phases": {
                    "labels": [str(label) for label, _n in phases],
                    "datasets": [{"label": _("Sites"), "data": [n for _l, n in phases]}],
                },
                "sparks": {str(s.pk): s.recent_weeks for s in summaries},
            },
            "export_query": request.GET.urlencode(),
        }

    def columns(self, request):
        """Each heading with the link that sorts by it (again: the other way round)."""
        current = request.GET.get("o") or "-attention"
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


class SiteSummaryMixin(SiteViewMixin):
    def get_summary(self):
        return (
            SiteSummary.objects.filter(site=self.site, is_latest=True)
            .select_related("site")
            .first()
        )

    def is_building(self, summary):
        """A refresh was asked for after the latest summary was built, and not long ago."""
        requests = self.site.summary_requests.filter(
            requested_at__gte=timezone.now() - REFRESH_PATIENCE
        )
        if summary is not None:
            requests = requests.filter(requested_at__gt=summary.built_at)
        return requests.exists()


class SiteDashboardView(SiteSummaryMixin, TemplateView):
    """The site's latest summary with its charts, and how it has moved between builds."""

    template_name = "dashboards/site.html"

    def get_context_data(self, **kwargs):
        summary = self.get_summary()
        view = SummaryView(summary, viewer=self.access) if summary else None
        if view:
            view.chart_settings = ChartSettings.for_site(self.site)
        history = [
            self.as_seen(h)
            for h in SiteSummary.objects.filter(site=self.site)
            .order_by("-built_at")
            .values(
                "built_at",
                "cases_total",
                "cases_open",
                "median_days",
                with_intervention=_PAYLOAD_COUNTS["with_intervention"],
            )[:12]
        ][::-1]
        charts = view.charts() if view else {}
        if view:
            charts["history"] = {
                "labels": [h["built_at"].strftime("%Y-%m-%d %H:%M") for h in history],
                "datasets": [
                    {"label": _("Cases"), "data": [h["cases_total"] for h in history]},
                    {"label": _("Open cases"), "data": [h["cases_open"].data for h in history]},
                ],
            }
        return super().get_context_data(
            summary=view,
            building=self.is_building(summary),
            history=history,
            charts=charts,
            **kwargs,
        )

    def as_seen(self, h):
        """A past summary's figures as the viewer may see them: the site's count of cases over
        time is exact; its open cases are part of it."""
        figures = case_group(
            {
                "total": h["cases_total"],
                "open": h["cases_open"],
                "resolved": 0,
                "referred": 0,
                "self_referrals": 0,
                "sip": 0,
                "with_consent": 0,
                "with_intervention": h["with_intervention"] or 0,
                "median_days": h["median_days"],
            },
            viewer=self.access,
            site=self.site,
        )
        return {**h, "cases_open": figures["open"], "median_days": figures["median_days"]}


class SiteRefreshView(SiteViewMixin, View):
    """A project lead or a coordinator asks for a new summary now; it is built by a worker
    once the request is committed, and the page shows that it is being built meanwhile."""

    permission = "can_manage"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.site.summary_requests.create(requested_by=request.user)
        build_site_summary.delay_on_commit(self.site.pk)
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        messages.info(request, _("A new summary is being built."))
        return redirect("dashboards:site", site_slug=self.site.slug)


class SiteStatusView(SiteSummaryMixin, TemplateView):
    """Polled by the page while a summary is being built: once it is ready, reload."""

    template_name = "dashboards/_status.html"

    def get(self, request, *args, **kwargs):
        building = self.is_building(self.get_summary())
        response = self.render_to_response(self.get_context_data(building=building))
        if not building and request.htmx:
            response["HX-Refresh"] = "true"
        return response


class SitePdfView(SiteSummaryMixin, View):
    """The site's summary as a PDF in Swedish, for the steering group's meeting: drawn once per
    summary and audience, then served from storage (dashboards/pdfs.py)."""

    def get(self, request, *args, **kwargs):
        summary = self.get_summary()
        audience = pdfs.audience_for(self.access, request.GET.get("figures"))
        response = HttpResponse(
            pdfs.pdf_of(self.site, summary, audience), content_type="application/pdf"
        )
        day = timezone.localdate(summary.built_at) if summary else timezone.localdate()
        suffix = "-exakt" if audience == Audience.EXACT else ""
        response["Content-Disposition"] = (
            f'attachment; filename="lagesbild-{self.site.slug}-{day.isoformat()}{suffix}.pdf"'
        )
        return response


class ChartSettingsView(SiteViewMixin, UpdateView):
    """The project lead chooses how the site's charts are read: the rule set, a frozen baseline
    and the test whose start splits them. The site's PDFs are drawn again with the choice."""

    permission = "can_manage"
    form_class = ChartSettingsForm
    template_name = "dashboards/chart_settings.html"

    def get_object(self, queryset=None):
        return ChartSettings.objects.filter(site=self.site).first() or ChartSettings(site=self.site)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def form_valid(self, form):
        form.instance.site = self.site
        form.save()
        SummaryPdf.objects.filter(summary__site=self.site).delete()
        messages.success(self.request, _("The charts are read as you chose."))
        return redirect("dashboards:site", site_slug=self.site.slug)
