"""Tables of practical tests and cases (django-tables2), with the columns the CSV/XLSX export
carries: structured data only, never free text."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pilots.models import Actor

from .models import Case, CaseConsent, PracticalTest

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
        self.ellipsis = self.paginator.ELLIPSIS
        self.page_range = list(
            self.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        )


def _yes_no(value):
    return _("Yes") if value else _("No")


class CaseExportTable(tables.Table):
    """Every structured field of a case and what is derived from it. No free text."""

    code = tables.Column(verbose_name=_("Case code"))
    practical_test = tables.Column(verbose_name=_("Practical test"), default="")
    school = tables.Column(verbose_name=_("School"))
    school_year = tables.Column(verbose_name=_("School year"))
    raised_by = tables.Column(verbose_name=_("Raised by"))
    self_referral = tables.Column(verbose_name=_("Self-referral"), accessor="raised_by")
    concerns = tables.Column(verbose_name=_("Concerns"))
    first_contact_on = tables.DateColumn(verbose_name=_("First contact"), format="Y-m-d")
    first_intervention_on = tables.DateColumn(
        verbose_name=_("First intervention"), format="Y-m-d", default=""
    )
    days_to_intervention = tables.Column(verbose_name=_("Days to intervention"), accessor="pk")
    actors = tables.Column(verbose_name=_("Actors involved"), accessor="pk")
    contacts = tables.Column(verbose_name=_("Timeline entries"), accessor="pk")
    minutes = tables.Column(verbose_name=_("Minutes logged"), accessor="pk")
    consent_school = tables.Column(
        verbose_name=_("Consent: school and student health"), accessor="pk"
    )
    consent_social = tables.Column(verbose_name=_("Consent: social services"), accessor="pk")
    consent_health = tables.Column(verbose_name=_("Consent: healthcare"), accessor="pk")
    sip_started = tables.Column(verbose_name=_("SIP started"))
    sip_started_on = tables.DateColumn(verbose_name=_("SIP started on"), format="Y-m-d", default="")
    closed_on = tables.DateColumn(verbose_name=_("Closed"), format="Y-m-d", default="")
    closure = tables.Column(verbose_name=_("Closed as"), default="")
    referred_to = tables.Column(verbose_name=_("Referred to"), default="")
    outcome = tables.Column(verbose_name=_("Outcome"), default="")

    class Meta:
        model = Case
        fields = []
        order_by = ["year", "number"]

    def value_school(self, value):
        return value.name

    def value_practical_test(self, value):
        return str(value) if value else ""

    def value_school_year(self, record):
        return record.get_school_year_display()

    def value_raised_by(self, record):
        return record.get_raised_by_display()

    def value_self_referral(self, record):
        return _yes_no(record.is_self_referral)

    def value_concerns(self, record):
        return "; ".join(str(c) for c in record.get_concerns_display())

    def value_days_to_intervention(self, record):
        days = record.days_to_first_intervention
        return "" if days is None else days

    def value_actors(self, record):
        return "; ".join(str(Actor(a).label) for a in record.actors_involved())

    def value_contacts(self, record):
        return len(record.events.all())

    def value_minutes(self, record):
        return sum(e.minutes or 0 for e in record.events.all())

    def _consent(self, record, actor):
        consent: CaseConsent | None = next(
            (c for c in record.consents.all() if c.actor == actor), None
        )
        return consent.get_status_display() if consent else ""

    def value_consent_school(self, record):
        return self._consent(record, Actor.SCHOOL)

    def value_consent_social(self, record):
        return self._consent(record, Actor.SOCIAL)

    def value_consent_health(self, record):
        return self._consent(record, Actor.HEALTH)

    def value_sip_started(self, value):
        return _yes_no(value)

    def value_closure(self, record):
        return record.get_closure_display()

    def value_referred_to(self, record):
        return record.get_referred_to_display()

    def value_outcome(self, record):
        return record.get_outcome_display()
