"""A site's dashboard: its latest summary with charts and history, a refresh asked for and
waited on, and the summary as a PDF for the steering group."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cases.disclosure import case_group, sees_exact, threshold
from infra.kept import kept_html
from pilots.scoping import SiteViewMixin

from .. import pdfs
from ..models import Audience, ChartSettings, SiteState, SiteSummary
from ..presenters import SummaryView
from ..tasks import build_site_summary
from .summaries import PAYLOAD_COUNTS, SiteSummaryMixin, building


class SiteDashboardView(SiteSummaryMixin, TemplateView):
    """The site's latest summary with its charts, and how it has moved between builds."""

    template_name = "dashboards/site.html"

    def get_context_data(self, **kwargs):
        # The drawing is usually kept: what it is keyed on is read in one query, and the
        # summary, its figures and the chart settings only when it is drawn.
        state = SiteState.of(self.site.pk)
        body = None
        if state.summary:
            # What the drawing depends on besides the summary: how its charts are read, the
            # site's phase (which sections lead) and whether the viewer sees exact figures.
            parts = [
                state.summary,
                state.built_at.isoformat(),
                *state.chart_settings_parts,
                self.site.phase,
                sees_exact(self.access, self.site),
                threshold(),
            ]
            body = kept_html(
                "site",
                parts,
                "dashboards/_site_body.html",
                lambda: self.body_context(
                    SiteSummary.objects.defer("payload")
                    .select_related("site")
                    .get(pk=state.summary),
                    ChartSettings.of_site(self.site),
                ),
            )
        return super().get_context_data(
            summary=state.summary,
            body=body,
            building=building(state.refresh_asked_at, state.built_at),
            **kwargs,
        )

    def body_context(self, summary, chart_settings):
        view = SummaryView(summary, viewer=self.access)
        view.chart_settings = chart_settings
        history = [
            self.as_seen(h)
            for h in SiteSummary.objects.filter(site=self.site)
            .order_by("-built_at")
            .values(
                "built_at",
                "cases_total",
                "cases_open",
                "median_days",
                with_intervention=PAYLOAD_COUNTS["with_intervention"],
            )[:12]
        ][::-1]
        charts = view.charts()
        charts["history"] = {
            "labels": [h["built_at"].strftime("%Y-%m-%d %H:%M") for h in history],
            "datasets": [
                {"label": _("Cases"), "data": [h["cases_total"] for h in history]},
                {"label": _("Open cases"), "data": [h["cases_open"].data for h in history]},
            ],
        }
        return {"site": self.site, "summary": view, "history": history, "charts": charts}

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
        building = self.is_building(self.get_summary(payload=False))
        response = self.render_to_response(self.get_context_data(building=building))
        if not building and request.htmx:
            response["HX-Refresh"] = "true"
        return response


class SitePdfView(SiteSummaryMixin, View):
    """The site's summary as a PDF in Swedish, for the steering group's meeting: drawn once per
    summary and audience, then served from storage (dashboards/pdfs.py)."""

    def get(self, request, *args, **kwargs):
        summary = self.get_summary(payload=False)  # read only if the PDF is drawn now
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
