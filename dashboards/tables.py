"""The national overview as CSV/XLSX (django-tables2's export): one row per site, figures
only, never a case, and small numbers hidden as on the national page (cases/disclosure.py): a
hidden count is the text "1–4" or "hidden" in its cell, a hidden share is "hidden"."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.disclosure import case_group

from .models import Rules, SiteSummary
from .presenters import attention_labels


class NationalExportTable(tables.Table):
    """The national overview as a spreadsheet: one row per site, figures only."""

    site = tables.Column(verbose_name=_("Site"), accessor="site__name")
    phase = tables.Column(verbose_name=_("Phase"), accessor="get_phase_display")
    region = tables.Column(verbose_name=_("Region"), accessor="region__name", default="")
    built_at = tables.DateTimeColumn(verbose_name=_("Summary built"), format="Y-m-d H:i")
    cases_total = tables.Column(verbose_name=_("Cases"))
    cases_open = tables.Column(verbose_name=_("Open"))
    cases_closed = tables.Column(
        verbose_name=pgettext_lazy("number of cases", "Closed"),
        accessor="payload__cases__all__closed",
    )
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
    chart_rules = tables.Column(verbose_name=_("Charts read by"), empty_values=())

    class Meta:
        model = SiteSummary
        fields = []
        order_by = ("site__name",)

    def figures(self, record):
        """The site's case figures, small numbers hidden (coordinators may not see cases)."""
        cached = getattr(record, "_disclosed", None)
        if cached is None:
            cached = record._disclosed = case_group(record.payload["cases"]["all"], viewer=None)
        return cached

    def value_cases_open(self, record):
        return self.figures(record)["open"].cell

    def value_cases_closed(self, record):
        return self.figures(record)["closed"].cell

    def value_self_referral_share(self, record):
        return self.figures(record)["self_referral_share"].cell

    def value_median_days(self, record):
        return self.figures(record)["median_days"].cell

    def value_resolved_share(self, record):
        return self.figures(record)["resolved_share"].cell

    def value_referred_share(self, record):
        return self.figures(record)["referred_share"].cell

    def value_sip(self, record):
        return self.figures(record)["sip"].cell

    def value_consent_share(self, record):
        return self.figures(record)["consent_share"].cell

    def value_built_at(self, record):
        return timezone.localtime(record.built_at).strftime("%Y-%m-%d %H:%M")

    def value_chart_rules(self, record):
        """The rule set the site's charts are read by (its lead's choice, else Anhøj's)."""
        return str(Rules(getattr(record, "chart_rules", None) or Rules.ANHOEJ).label)

    def value_signs(self, record):
        return "; ".join(str(label) for _k, label in attention_labels(record.signs))
