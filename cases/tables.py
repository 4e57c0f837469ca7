"""Tables of practical tests and cases (django-tables2). The CSV/XLSX export of cases has its
own columns, read in chunks (cases/exports.py)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Case, PracticalTest
from .pagination import BACK, FORWARD

ATTRS = {"class": "table table-hover align-middle"}


class PracticalTestTable(tables.Table):
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    stage = tables.Column(verbose_name=_("Step"))
    starts_on = tables.DateColumn(verbose_name=_("Starts"), short=True)
    cases_count = tables.Column(verbose_name=_("Cases"), attrs={"td": {"class": "text-end"}})
    decision = tables.Column(verbose_name=_("Decision"), default="–")

    class Meta:
        model = PracticalTest
        fields = ["title", "stage", "starts_on", "cases_count", "decision"]
        attrs = ATTRS
        order_by = ["-starts_on"]
        empty_text = _("No practical tests match.")

    def render_title(self, record, value):
        if record.cycle > 1:
            return format_html(
                '{} <span class="badge text-bg-light border">{}</span>',
                value,
                _("cycle %(n)s") % {"n": record.cycle},
            )
        return value

    def render_stage(self, record):
        return format_html(
            '<span class="badge text-bg-secondary">{}</span>', record.get_stage_display()
        )

    def __init__(self, *args, counts=None, **kwargs):
        # Each test's count as the viewer may see it (cases.summaries.test_totals); none: exact.
        self.counts = counts or {}
        super().__init__(*args, **kwargs)

    def render_cases_count(self, record, value):
        return f"{self.counts.get(record.pk, value)} / {record.planned_cases}"

    def render_decision(self, record):
        return record.get_decision_display() or "–"


class CaseTable(tables.Table):
    code = tables.Column(
        verbose_name=_("Case"), linkify=True, attrs={"td": {"class": "text-nowrap"}}
    )
    practical_test = tables.Column(verbose_name=_("Practical test"), default="–")
    school = tables.Column(verbose_name=_("School"), order_by=("school__name",))
    school_year = tables.Column(verbose_name=_("School year"))
    raised_by = tables.Column(verbose_name=_("Raised by"))
    first_contact_on = tables.DateColumn(verbose_name=_("First contact"), short=True)
    days_to_intervention = tables.Column(
        verbose_name=_("Days to intervention"), attrs={"td": {"class": "text-end"}}, default="–"
    )
    status = tables.Column(
        verbose_name=_("Status"), accessor="pk", order_by=("closed_on", "closure")
    )

    class Meta:
        model = Case
        fields = [
            "code",
            "practical_test",
            "school",
            "school_year",
            "raised_by",
            "first_contact_on",
            "days_to_intervention",
            "status",
        ]
        attrs = ATTRS
        order_by = ["-first_contact_on"]
        empty_text = _("No cases match.")
        template_name = "cases/includes/case_table.html"

    def before_render(self, request):
        """Give each shown row what its cells print, so the template only places them (see
        cases/includes/case_table.html): one reverse and one lookup per cell here cost a
        fraction of the template's tags and filters. Choice labels are looked up once per
        page: `get_FOO_display` rebuilds and translates the whole choice list per call."""
        labels = {
            name: {value: str(label) for value, label in Case._meta.get_field(name).flatchoices}
            for name in ("school_year", "raised_by", "closure")
        }
        for row in self.paginated_rows:
            case = row.record
            case.cells = {
                "url": reverse("cases:case_detail", args=[case.site.slug, case.pk]),
                "test": str(case.practical_test) if case.practical_test else "–",
                "first_contact": date_format(case.first_contact_on, "SHORT_DATE_FORMAT"),
                "days": "–"
                if case.days_to_intervention is None
                else case.days_to_intervention.days,
            } | {name: labels[name].get(getattr(case, name), "") for name in labels}
        # The links forward seek from this page's last row, those back from its first.
        anchor_of = getattr(self.paginator, "anchor_of", lambda page, side: None)
        self.anchor_forward = anchor_of(self.page, FORWARD)
        self.anchor_back = anchor_of(self.page, BACK)
        self.ellipsis = self.paginator.ELLIPSIS
        self.page_range = list(
            self.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        )
