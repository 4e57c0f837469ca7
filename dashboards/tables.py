"""The national table (django-tables2): every site side by side, sortable, and the same
figures as CSV/XLSX. Aggregates only; a row leads to the site's dashboard, never to a case."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import SiteSummary
from .presenters import attention_labels, number

ATTRS = {"class": "table table-hover table-sm align-middle small national-table"}
NUMBER = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class NationalTable(tables.Table):
    site = tables.Column(verbose_name=_("Site"), order_by=("site__name",))
    phase = tables.Column(verbose_name=_("Phase"))
    cases_total = tables.Column(verbose_name=_("Cases"), attrs=NUMBER)
    cases_open = tables.Column(verbose_name=_("Open"), attrs=NUMBER)
    median_days = tables.Column(
        verbose_name=_("Median days to first intervention"), attrs=NUMBER, default="–"
    )
    self_referral_share = tables.Column(
        verbose_name=_("Self-referrals (%)"), attrs=NUMBER, default="–"
    )
    resolved_share = tables.Column(
        verbose_name=_("Resolved at the first line (%)"), attrs=NUMBER, default="–"
    )
    overdue_deliverables = tables.Column(verbose_name=_("Overdue deliverables"), attrs=NUMBER)
    attention = tables.Column(
        verbose_name=_("Needs attention"), order_by=("-attention", "site__name")
    )
    recent_weeks = tables.Column(
        verbose_name=_("Cases per week, latest weeks"), orderable=False, empty_values=()
    )

    class Meta:
        model = SiteSummary
        fields = [
            "site",
            "phase",
            "cases_total",
            "cases_open",
            "median_days",
            "self_referral_share",
            "resolved_share",
            "overdue_deliverables",
            "attention",
            "recent_weeks",
        ]
        attrs = ATTRS
        order_by = ("attention",)
        empty_text = _("No site summaries match. Build them with manage.py build_summaries.")

    def render_site(self, record):
        url = reverse("dashboards:site", kwargs={"site_slug": record.site.slug})
        # The region goes under the name, which keeps the table narrow enough for a laptop.
        return format_html(
            '<a href="{}">{}</a><div class="small text-body-secondary">{}</div>',
            url,
            record.site.name,
            record.region.name if record.region else "",
        )

    def render_phase(self, record):
        return format_html(
            '<span class="badge text-bg-secondary text-nowrap">{}</span>',
            record.get_phase_display(),
        )

    def render_median_days(self, value):
        return number(value)

    def render_attention(self, record):
        signs = attention_labels(record.signs)
        if not signs:
            return format_html('<span class="text-body-secondary">{}</span>', _("None"))
        return format_html_join(
            " ",
            '<span class="badge text-bg-warning text-wrap text-start">{}</span>',
            ((label,) for _k, label in signs),
        )

    def render_recent_weeks(self, record):
        values = record.recent_weeks or []
        text = ", ".join(str(v) for v in values) or "–"
        return format_html(
            '<canvas class="spark" width="120" height="28" data-summary="{}" role="img" '
            'aria-label="{}"></canvas>',
            record.pk,
            _("Cases per week, latest weeks: %(values)s") % {"values": text},
        )


class NationalExportTable(tables.Table):
    """The national overview as a spreadsheet: one row per site, figures only."""

    site = tables.Column(verbose_name=_("Site"), accessor="site__name")
    phase = tables.Column(verbose_name=_("Phase"), accessor="get_phase_display")
    region = tables.Column(verbose_name=_("Region"), accessor="region__name", default="")
    built_at = tables.DateTimeColumn(verbose_name=_("Summary built"), format="Y-m-d H:i")
    cases_total = tables.Column(verbose_name=_("Cases"))
    cases_open = tables.Column(verbose_name=_("Open"))
    cases_closed = tables.Column(verbose_name=_("Closed"), accessor="payload__cases__all__closed")
    self_referral_share = tables.Column(verbose_name=_("Self-referrals (%)"), default="")
    median_days = tables.Column(verbose_name=_("Median days to first intervention"), default="")
    resolved_share = tables.Column(verbose_name=_("Resolved at the first line (%)"), default="")
    referred_share = tables.Column(
        verbose_name=_("Referred onward (%)"),
        accessor="payload__cases__all__referred_share",
        default="",
    )
    sip = tables.Column(verbose_name=_("SIPs started"), accessor="payload__cases__all__sip")
    consent_share = tables.Column(
        verbose_name=_("Consent to share (%)"),
        accessor="payload__cases__all__consent_share",
        default="",
    )
    tests = tables.Column(verbose_name=_("Practical tests"), accessor="payload__tests__total")
    meetings = tables.Column(
        verbose_name=_("Steering-group meetings"), accessor="payload__governance__meetings"
    )
    decisions = tables.Column(
        verbose_name=_("Steering-group decisions"), accessor="payload__governance__decisions"
    )
    vacancies = tables.Column(
        verbose_name=_("Vacancies"), accessor="payload__governance__vacancies"
    )
    registered = tables.Column(
        verbose_name=_("Workshop registrations"), accessor="payload__workshops__registered"
    )
    attended = tables.Column(verbose_name=_("Attended"), accessor="payload__workshops__attended")
    overdue_deliverables = tables.Column(verbose_name=_("Overdue deliverables"))
    signs = tables.Column(verbose_name=_("Needs attention"))

    class Meta:
        model = SiteSummary
        fields = []
        order_by = ("site__name",)

    def value_signs(self, record):
        return "; ".join(str(label) for _k, label in attention_labels(record.signs))
