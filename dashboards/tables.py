"""The national overview as CSV/XLSX: one row per site, figures only, never a case, and small
numbers hidden as on the national page (cases/disclosure.py). The table gives the columns and
the values; infra.spreadsheets writes the file, as it writes every export. A hidden figure is
a `Withheld`: its cell stays empty, and the row's note column says "Open: 1–4" or "…: hidden"."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.disclosure import case_group
from infra.spreadsheets import Column, Withheld

from .models import Rules, SiteSummary
from .presenters import attention_labels


class NationalExportTable(tables.Table):
    """The national overview as a spreadsheet: one row per site, figures only."""

    site = tables.Column(verbose_name=_("Site"), accessor="site__name")
    phase = tables.Column(verbose_name=_("Phase"), accessor="get_phase_display")
    region = tables.Column(verbose_name=_("Region"), accessor="region__name", default="")
    built_at = tables.DateTimeColumn(verbose_name=_("Summary built"))
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

    def figure(self, record, name):
        """A figure as a spreadsheet cell: its number, or Withheld with what is shown instead."""
        figure = self.figures(record)[name]
        return figure.data if figure.exact else Withheld(str(figure))

    def value_cases_open(self, record):
        return self.figure(record, "open")

    def value_cases_closed(self, record):
        return self.figure(record, "closed")

    def value_self_referral_share(self, record):
        return self.figure(record, "self_referral_share")

    def value_median_days(self, record):
        return self.figure(record, "median_days")

    def value_resolved_share(self, record):
        return self.figure(record, "resolved_share")

    def value_referred_share(self, record):
        return self.figure(record, "referred_share")

    def value_sip(self, record):
        return self.figure(record, "sip")

    def value_consent_share(self, record):
        return self.figure(record, "consent_share")

    def value_built_at(self, record):
        return timezone.localtime(record.built_at)

    def value_chart_rules(self, record):
        """The rule set the site's charts are read by (its lead's choice, else Anhøj's)."""
        return str(Rules(getattr(record, "chart_rules", None) or Rules.ANHOEJ).label)

    def value_signs(self, record):
        return "; ".join(str(label) for _k, label in attention_labels(record.signs))

    def spreadsheet(self):
        """The columns and the rows (one chunk: one row per site) for infra.spreadsheets."""
        columns = [c for c in self.columns.iterall() if not c.column.exclude_from_export]
        rows = [[row.get_cell_value(c.name) for c in columns] for row in self.rows]
        return [Column(str(c.header)) for c in columns], [rows]
