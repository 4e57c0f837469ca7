"""Progress summaries: dated snapshots of where each site stands, built from the domain apps'
data by `dashboards.services` (nightly, on demand, or with `manage.py build_summaries`).

The dashboards read these snapshots rather than the live tables, so a page costs the same
however many cases there are. The national table filters on the indexed columns, and its
trends add up the summaries' months (`SiteMonth`); everything else a page shows is in
`payload`. A summary is rebuilt at night only once it is
out of date (dashboards/changes.py); its steering-group PDF is drawn once per audience and
kept in storage (`SummaryPdf`, dashboards/pdfs.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pilots.models import Phase
from pilots.models.scoped import site_scoped

from .versions import ProgrammeDataVersion, SiteDataVersion, SiteState  # noqa: F401 — this app's


class Trigger(models.TextChoices):
    """What started a build."""

    NIGHTLY = "nightly", _("Nightly build")
    REFRESH = "refresh", _("Refresh on request")
    COMMAND = "command", _("Built from the command line")
    DEMO = "demo", _("Demo data")


class SiteSummaryQuerySet(models.QuerySet):
    def latest_per_site(self):
        return self.filter(is_latest=True)


class SiteSummary(models.Model):
    """One site's progress summary as built at one moment (a dated snapshot)."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="summaries",
    )
    built_at = models.DateTimeField(_("built"), db_index=True)
    trigger = models.CharField(_("built by"), max_length=10, choices=Trigger.choices)
    is_latest = models.BooleanField(
        _("latest"), default=True, help_text=_("The newest summary of the site.")
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    region = models.ForeignKey(
        "pilots.Organisation",
        verbose_name=_("region"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    cases_total = models.PositiveIntegerField(_("cases"), default=0)
    cases_open = models.PositiveIntegerField(_("open cases"), default=0)
    median_days = models.FloatField(_("median days to first intervention"), null=True, blank=True)
    self_referral_share = models.PositiveSmallIntegerField(
        _("self-referrals (%)"), null=True, blank=True
    )
    resolved_share = models.PositiveSmallIntegerField(
        _("resolved at the first line (%)"), null=True, blank=True
    )
    overdue_deliverables = models.PositiveSmallIntegerField(_("overdue deliverables"), default=0)
    attention = models.PositiveSmallIntegerField(
        _("needs attention"),
        default=0,
        help_text=_("How many of the warning signs the summary shows; most first."),
    )
    signs = models.JSONField(
        _("warning signs"), default=list, help_text=_("Keys of the warning signs shown.")
    )
    recent_weeks = models.JSONField(
        _("cases in the latest weeks"),
        default=list,
        help_text=_("For the national table's small chart, so it need not read the payload."),
    )
    payload = models.JSONField(_("summary"), default=dict)
    # What the summary was built from (dashboards/changes.py): it is out of date once the
    # site's count of changes moves past data_version, the clock passes fresh_until, or the
    # code that builds it is no longer code_version.
    data_version = models.PositiveBigIntegerField(
        _("changes counted"),
        default=0,
        help_text=_("The site's count of data changes when the summary was built."),
    )
    fresh_until = models.DateTimeField(
        _("fresh until"),
        null=True,
        blank=True,
        help_text=_("When a figure that depends on the date (overdue, due, this week) next moves."),
    )
    code_version = models.CharField(_("code version"), max_length=16, blank=True)

    objects = site_scoped(SiteSummaryQuerySet)

    class Meta:
        verbose_name = _("site summary")
        verbose_name_plural = _("site summaries")
        ordering = ["-built_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site"], condition=Q(is_latest=True), name="summary_one_latest_per_site"
            ),
        ]
        indexes = [
            models.Index(fields=["site", "-built_at"], name="summary_site_built"),
            models.Index(fields=["is_latest", "phase"], name="summary_latest_phase"),
            models.Index(fields=["is_latest", "-attention"], name="summary_latest_attention"),
        ]

    def __str__(self):
        return f"{self.site} {self.built_at:%Y-%m-%d %H:%M}"


class SiteMonth(models.Model):
    """One month of a site's cases as its summary counted them: the cases first contacted in
    the month and the counts the measures' charts are drawn from (dashboards/measures.py).
    Kept in columns beside the summary, for its months with cases, so the national trends add
    them up across every site in the database instead of reading each summary's payload."""

    summary = models.ForeignKey(
        SiteSummary, verbose_name=_("summary"), on_delete=models.CASCADE, related_name="months"
    )
    month = models.DateField(_("month"), help_text=_("The month's first day."))
    cases = models.PositiveIntegerField(_("new cases"))
    closed = models.PositiveIntegerField(_("closed cases"))
    resolved = models.PositiveIntegerField(_("resolved at the first line"))
    self_referrals = models.PositiveIntegerField(_("raised by the child"))
    with_consent = models.PositiveIntegerField(_("with consent to share"))
    reached = models.PositiveIntegerField(_("with an intervention"))
    days = models.PositiveIntegerField(
        _("days to first intervention"),
        help_text=_("The sum over the cases with an intervention."),
    )

    objects = site_scoped(path="summary__site")

    class Meta:
        verbose_name = _("site month")
        verbose_name_plural = _("site months")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "month"], name="site_month_once"),
            models.CheckConstraint(
                condition=Q(closed__lte=models.F("cases"))
                & Q(resolved__lte=models.F("closed"))
                & Q(self_referrals__lte=models.F("cases"))
                & Q(with_consent__lte=models.F("cases"))
                & Q(reached__lte=models.F("cases")),
                name="site_month_parts_within_cases",
            ),
        ]

    def __str__(self):
        return f"{self.summary.site} {self.month:%Y-%m}"


class SummaryRequest(models.Model):
    """A press on "refresh": someone asked for a new summary of a site. The site's page shows
    that one is being built while a request is newer than the latest summary."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="summary_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)

    objects = site_scoped()

    class Meta:
        verbose_name = _("summary request")
        verbose_name_plural = _("summary requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["site", "-requested_at"], name="summary_request_site")]

    def __str__(self):
        return f"{self.site} {self.requested_at:%Y-%m-%d %H:%M}"


class SentDigest(models.Model):
    """A weekly digest that was sent: one row per person, site and week, written in the same
    transaction as the decision to send, so a rerun or a retry never sends it twice."""

    site = models.ForeignKey(
        "pilots.PilotSite", verbose_name=_("site"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="summary_digests",
    )
    week = models.CharField(_("week"), max_length=8, help_text=_("ISO week, e.g. 2018-W37."))
    summary = models.ForeignKey(
        SiteSummary,
        verbose_name=_("summary"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    objects = site_scoped()

    class Meta:
        verbose_name = pgettext_lazy("weekly progress e-mail", "sent digest")
        verbose_name_plural = pgettext_lazy("weekly progress e-mail", "sent digests")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "recipient", "week"], name="digest_once_per_week"
            ),
        ]

    def __str__(self):
        return f"{self.site} {self.week} → {self.recipient}"


class Audience(models.TextChoices):
    """Who a steering-group PDF is drawn for (cases/disclosure.py)."""

    HIDDEN = "hidden", _("Small numbers hidden")
    EXACT = "exact", _("Exact figures")


def _pdf_name(instance, filename):
    return f"summaries/{instance.summary.site_id}/{filename}"


class SummaryPdf(models.Model):
    """A summary's steering-group PDF for one audience, drawn once and then served from
    storage until the summary is replaced (dashboards/pdfs.py)."""

    summary = models.ForeignKey(
        SiteSummary, verbose_name=_("summary"), on_delete=models.CASCADE, related_name="pdfs"
    )
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    file = models.FileField(_("file"), upload_to=_pdf_name, max_length=200)
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)

    objects = site_scoped(path="summary__site")

    class Meta:
        verbose_name = _("summary PDF")
        verbose_name_plural = _("summary PDFs")
        constraints = [
            models.UniqueConstraint(fields=["summary", "audience"], name="summary_pdf_once"),
        ]

    def __str__(self):
        return f"{self.summary} ({self.get_audience_display()})"


class Rules(models.TextChoices):
    """The rule sets a chart can be read by (dashboards.spc)."""

    ANHOEJ = "anhoej", _("Anhøj's rules (as qicharts2)")
    IHI = "ihi", _("The IHI's run-chart rules")


class ChartSettings(models.Model):
    """How a site's charts are read, as its project lead chose: the rule set, a baseline frozen
    on the first points (its centre and limits then hold for the points after it), and the
    practical test whose start splits the charts into phases. Applied when a page is drawn,
    so changing them needs no new summary."""

    site = models.OneToOneField(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="chart_settings",
    )
    rules = models.CharField(_("rules"), max_length=8, choices=Rules.choices, default=Rules.ANHOEJ)
    baseline_points = models.PositiveSmallIntegerField(
        _("baseline"),
        null=True,
        blank=True,
        help_text=_(
            "Freeze the centre line on this many first points (at least 10), so later points "
            "are judged against it. Empty: every point counts. Not used when a test splits "
            "the chart."
        ),
    )
    split_test = models.ForeignKey(
        "cases.PracticalTest",
        verbose_name=_("split at the start of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The charts are read in two phases: before this test started and after."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = site_scoped()

    class Meta:
        verbose_name = _("chart settings")
        verbose_name_plural = _("chart settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_points__isnull=True) | Q(baseline_points__gte=10),
                name="chart_baseline_of_ten_or_more",
            )
        ]

    def __str__(self):
        return str(self.site)

    @classmethod
    def of_site(cls, site):
        """The site's settings, or None while its lead has chosen none (one query)."""
        return cls.objects.filter(site=site).select_related("split_test").first()

    @property
    def split_on(self):
        return self.split_test.starts_on if self.split_test_id else None
