"""The dashboards: national (coordinators) and per site (everyone who follows the site).
Both read the latest stored summaries, so a page runs the same few queries however much data
there is. Nothing here shows or links to a single case."""

import datetime
import hashlib
from collections import Counter

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from django_filters.views import FilterView
from django_tables2.export import TableExport

from pilots.models import Phase
from pilots.scoping import CoordinatorRequiredMixin, SiteViewMixin

from .filters import SummaryFilter
from .models import SiteSummary
from .presenters import SummaryView, attention_labels, number
from .tables import NationalExportTable
from .tasks import build_site_summary

# A refresh nobody has answered for this long is taken as lost (no worker ran it).
REFRESH_PATIENCE = datetime.timedelta(hours=1)


def latest_summaries():
    return SiteSummary.objects.latest_per_site().select_related("site", "region")


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
        version = latest_summaries().aggregate(last=Max("built_at"), n=Count("pk"))
        key = (
            "dashboards:national:"
            + hashlib.sha256(
                "|".join(
                    [
                        translation.get_language() or "",
                        str(version["last"]),
                        str(version["n"]),
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
        context = {"body": mark_safe(body), "export_query": request.GET.urlencode()}  # noqa: S308
        return render(request, "dashboards/national.html", context)

    def body_context(self, request):
        filterset = SummaryFilter(
            request.GET,
            queryset=latest_summaries().defer("payload").order_by("-attention", "site__name"),
        )
        summaries = filterset.qs
        rows = [
            {
                "pk": s.pk,
                "name": s.site.name,
                "url": reverse("dashboards:site", kwargs={"site_slug": s.site.slug}),
                "region": s.region.name if s.region else "",
                "phase": s.get_phase_display(),
                "cases": s.cases_total,
                "open": s.cases_open,
                "median": number(s.median_days),
                "self": number(s.self_referral_share),
                "resolved": number(s.resolved_share),
                "overdue": s.overdue_deliverables,
                "signs": [label for _k, label in attention_labels(s.signs)],
                "weeks": ", ".join(str(n) for n in s.recent_weeks) or "–",
            }
            for s in summaries
        ]
        by_phase = Counter(s.phase for s in summaries)
        phases = [(label, by_phase.get(value, 0)) for value, label in Phase.choices]
        totals = {
            "sites": len(rows),
            "cases": sum(s.cases_total for s in summaries),
            "open": sum(s.cases_open for s in summaries),
            "attention": sum(1 for s in summaries if s.attention),
            "overdue": sum(1 for s in summaries if s.overdue_deliverables),
        }
        return {
            "filter": filterset,
            "rows": rows,
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
        summaries = filterset.qs if filterset.is_valid() else self.get_queryset()
        export_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        table = NationalExportTable(summaries)
        exporter = TableExport(export_format, table, dataset_kwargs={"title": _("Sites")})
        stamp = timezone.localdate().isoformat()
        return exporter.response(filename=f"triad-sites-{stamp}.{export_format}")


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
        view = SummaryView(summary) if summary else None
        history = list(
            SiteSummary.objects.filter(site=self.site)
            .order_by("-built_at")
            .values("built_at", "cases_total", "cases_open", "median_days")[:12]
        )[::-1]
        charts = view.charts() if view else {}
        if view:
            charts["history"] = {
                "labels": [h["built_at"].strftime("%Y-%m-%d %H:%M") for h in history],
                "datasets": [
                    {"label": _("Cases"), "data": [h["cases_total"] for h in history]},
                    {"label": _("Open cases"), "data": [h["cases_open"] for h in history]},
                ],
            }
        return super().get_context_data(
            summary=view,
            building=self.is_building(summary),
            history=history,
            charts=charts,
            **kwargs,
        )


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
    """The site's summary as a PDF in Swedish, for the steering group's meeting."""

    def get(self, request, *args, **kwargs):
        from weasyprint import HTML

        summary = self.get_summary()
        with translation.override("sv"):
            html = render_to_string(
                "dashboards/site_pdf.html",
                {
                    "site": self.site,
                    "summary": SummaryView(summary) if summary else None,
                    "printed_on": timezone.localdate(),
                },
            )
        # The template carries its own styles and loads nothing from outside.
        pdf = HTML(string=html).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="lagesbild-{self.site.slug}-{stamp}.pdf"'
        )
        return response
