"""The dashboards: national (coordinators) and per site (everyone who follows the site).
Both read the latest stored summaries, so a page runs the same few queries however much data
there is. Nothing here shows or links to a single case."""

import datetime

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import TableExport

from pilots.models import Phase
from pilots.scoping import CoordinatorRequiredMixin, SiteViewMixin

from .filters import SummaryFilter
from .models import SiteSummary
from .presenters import SummaryView
from .tables import NationalExportTable, NationalTable
from .tasks import build_site_summary

# A refresh nobody has answered for this long is taken as lost (no worker ran it).
REFRESH_PATIENCE = datetime.timedelta(hours=1)


def latest_summaries():
    return SiteSummary.objects.latest_per_site().select_related("site", "region")


class NationalView(CoordinatorRequiredMixin, SingleTableMixin, FilterView):
    """Every site side by side: what needs attention first, sortable, filterable."""

    table_class = NationalTable
    filterset_class = SummaryFilter
    template_name = "dashboards/national.html"
    table_pagination = False

    def get_queryset(self):
        # The payload is large; the table reads only the indexed columns.
        return latest_summaries().defer("payload")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summaries = self.object_list
        totals = summaries.aggregate(
            sites=Count("pk"),
            cases=Sum("cases_total"),
            open=Sum("cases_open"),
            attention=Count("pk", filter=Q(attention__gt=0)),
            overdue=Count("pk", filter=Q(overdue_deliverables__gt=0)),
        )
        by_phase = dict(
            summaries.order_by()
            .values_list("phase")
            .annotate(n=Count("pk"))
            .values_list("phase", "n")
        )
        phases = [(label, by_phase.get(value, 0)) for value, label in Phase.choices]
        table = context["table"]
        context.update(
            totals=totals,
            phases=phases,
            charts={
                "phases": {
                    "labels": [str(label) for label, _n in phases],
                    "datasets": [{"label": _("Sites"), "data": [n for _l, n in phases]}],
                },
                "sparks": {str(row.record.pk): row.record.recent_weeks for row in table.rows},
            },
            export_query=self.request.GET.urlencode(),
        )
        return context


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
