from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from infra.pnr import validate_no_personal_number
from pilots.models import Actor
from pilots.models.scoped import site_scoped

from .choices import (
    ChangeKind,
    Closure,
    Concern,
    ConsentGivenBy,
    ConsentStatus,
    EventKind,
    Level,
    Outcome,
    RaisedBy,
    ReferralTo,
    SchoolYear,
    StaffRole,
)
from .dates import CaseDateField

GUARDED = [validate_no_personal_number]


# A case still open this many days after its first contact has been open long: the lead's
# home page counts them, to be looked at together.
OPEN_LONG_DAYS = 42


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)

    @staticmethod
    def open_long_q(today):
        """Open, and first contact more than OPEN_LONG_DAYS ago."""
        return Q(
            closed_on__isnull=True, first_contact_on__lt=today - timedelta(days=OPEN_LONG_DAYS)
        )

    def closed(self):
        return self.filter(closed_on__isnull=False)

    def about(self, concern):
        """Cases with a concern category (stored as a JSON list of values)."""
        return self.filter(concerns__icontains=f'"{concern}"')

    def with_days_to_intervention(self):
        return self.annotate(
            days_to_intervention=models.ExpressionWrapper(
                models.F("first_intervention_on") - models.F("first_contact_on"),
                output_field=models.DurationField(),
            )
        )


class Case(models.Model):
    """A case (ärende): one child's first-line support, logged pseudonymously under a site code.

    Nothing here identifies the child: no name, number, address, phone or e-mail, of the child
    or of a guardian. Free text is guarded against personal identity numbers."""

    site = models.ForeignKey(
        "pilots.PilotSite", verbose_name=_("site"), on_delete=models.CASCADE, related_name="cases"
    )
    practical_test = models.ForeignKey(
        "cases.PracticalTest",
        verbose_name=_("practical test"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("Leave empty for a first-line case outside a test."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("case code"), max_length=20)
    school = models.ForeignKey(
        "pilots.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="cases"
    )
    school_year = models.PositiveSmallIntegerField(_("school year"), choices=SchoolYear.choices)
    raised_by = models.CharField(_("raised by"), max_length=16, choices=RaisedBy.choices)
    concerns = models.JSONField(
        _("concerns"), default=list, help_text=_("What the case is about; choose all that apply.")
    )
    first_contact_on = CaseDateField(_("first contact"), default=timezone.localdate)
    first_intervention_on = CaseDateField(
        _("first intervention"),
        null=True,
        blank=True,
        help_text=_("Filled in from the timeline when you log the first intervention."),
    )
    sip_started = models.BooleanField(_("SIP started"), default=False)
    sip_started_on = CaseDateField(_("SIP started on"), null=True, blank=True)

    # Closing
    closed_on = CaseDateField(_("closed"), null=True, blank=True)
    closure = models.CharField(_("closed as"), max_length=10, choices=Closure.choices, blank=True)
    referred_to = models.CharField(
        _("referred to"), max_length=24, choices=ReferralTo.choices, blank=True
    )
    referral_reason = models.TextField(
        _("why referred"),
        blank=True,
        validators=GUARDED,
        help_text=_("In general terms: what the first line could not give."),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    reflections = models.TextField(
        _("reflections"),
        blank=True,
        validators=GUARDED,
        help_text=_(
            "What the case taught you about working together. No details that identify the child."
        ),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = site_scoped(CaseQuerySet)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-year", "-number"]
        indexes = [
            # The case list's default order (newest first contact) and date filters, per site:
            # 25 index entries instead of sorting every case of the site.
            models.Index(fields=["site", "-first_contact_on"], name="case_site_first_contact"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["site", "year", "number"], name="case_unique_number"),
            models.UniqueConstraint(fields=["site", "code"], name="case_unique_code_per_site"),
            models.CheckConstraint(
                condition=Q(first_intervention_on__isnull=True)
                | Q(first_intervention_on__gte=models.F("first_contact_on")),
                name="case_intervention_after_contact",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(closed_on__gte=models.F("first_contact_on")),
                name="case_closed_after_contact",
            ),
            models.CheckConstraint(
                condition=(Q(closed_on__isnull=True) & Q(closure=""))
                | (Q(closed_on__isnull=False) & ~Q(closure="")),
                name="case_closed_has_closure",
            ),
            models.CheckConstraint(
                condition=Q(closure=Closure.REFERRED) | Q(referred_to=""),
                name="case_referral_only_when_referred",
            ),
            models.CheckConstraint(
                condition=Q(sip_started=True) | Q(sip_started_on__isnull=True),
                name="case_sip_date_only_with_sip",
            ),
            models.CheckConstraint(condition=Q(school_year__lte=12), name="case_school_year_known"),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("cases:case_detail", kwargs={"site_slug": self.site.slug, "pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        if self.pk and self.first_contact_on:
            # Never typed in: it follows the timeline, also when the first contact moves.
            self.first_intervention_on = self.first_intervention_in_timeline()
        if self.first_contact_on:
            if self.first_intervention_on and self.first_intervention_on < self.first_contact_on:
                errors["first_intervention_on"] = _(
                    "The first intervention cannot come before the first contact."
                )
            if self.closed_on and self.closed_on < self.first_contact_on:
                errors["closed_on"] = _("A case cannot close before its first contact.")
        if self.sip_started_on and not self.sip_started:
            errors["sip_started"] = _("Tick this when you give the date a SIP was started.")
        unknown = set(self.concerns or []) - set(Concern.values)
        if unknown:
            errors["concerns"] = _("Choose among the listed concerns.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self):
        return self.closed_on is None

    @property
    def is_self_referral(self):
        return self.raised_by == RaisedBy.CHILD

    def first_intervention_in_timeline(self):
        """The earliest intervention in the timeline on or after the first contact, or None:
        what first_intervention_on holds (cases.services keeps it so as the timeline changes),
        so that every measure reads one stored date."""
        if self.pk is None:
            return None
        return self.events.filter(
            kind__in=EventKind.interventions(), occurred_on__gte=self.first_contact_on
        ).aggregate(first=models.Min("occurred_on"))["first"]

    @property
    def days_to_first_intervention(self):
        if self.first_contact_on and self.first_intervention_on:
            return (self.first_intervention_on - self.first_contact_on).days
        return None

    def get_concerns_display(self):
        labels = dict(Concern.choices)
        return [labels[v] for v in Concern.values if v in (self.concerns or [])]

    def actors_involved(self):
        """The actors with at least one entry in the timeline (uses prefetched events)."""
        present = {event.actor for event in self.events.all()}
        return [actor for actor in Actor if actor in present]


class CaseConsent(models.Model):
    """Whether consent to share information with one of the three actors was given, for a case.

    Consent given can later be withdrawn: the status becomes "withdrawn", with the day and the
    staff role that received the withdrawal (a role, never a person); when it was given stays."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="consents"
    )
    actor = models.CharField(_("share with"), max_length=16, choices=Actor.choices)
    status = models.CharField(
        _("consent"), max_length=10, choices=ConsentStatus.choices, default=ConsentStatus.NOT_ASKED
    )
    given_by = models.CharField(
        _("answered by"), max_length=10, choices=ConsentGivenBy.choices, blank=True
    )
    recorded_on = CaseDateField(_("when"), null=True, blank=True)
    asked_by_role = models.CharField(
        _("asked by (staff role)"), max_length=20, choices=StaffRole.choices, blank=True
    )
    withdrawn_on = CaseDateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by_role = models.CharField(
        _("withdrawal received by (staff role)"),
        max_length=20,
        choices=StaffRole.choices,
        blank=True,
    )

    objects = site_scoped(path="case__site")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["actor"]
        constraints = [
            models.UniqueConstraint(fields=["case", "actor"], name="consent_one_per_actor"),
            models.CheckConstraint(
                condition=~Q(status=ConsentStatus.NOT_ASKED)
                | (Q(recorded_on__isnull=True) & Q(given_by="")),
                name="consent_not_asked_has_no_answer",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ConsentStatus.WITHDRAWN)
                    & Q(withdrawn_on__isnull=False)
                    & ~Q(withdrawn_by_role="")
                )
                | (
                    ~Q(status=ConsentStatus.WITHDRAWN)
                    & Q(withdrawn_on__isnull=True)
                    & Q(withdrawn_by_role="")
                ),
                name="consent_withdrawn_says_when_and_by_whom",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(recorded_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("recorded_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.get_actor_display()}: {self.get_status_display()}"

    @property
    def can_be_withdrawn(self):
        return self.status == ConsentStatus.GIVEN


class CaseEvent(models.Model):
    """One entry in a case's timeline: a contact or an intervention by one actor."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    occurred_on = CaseDateField(_("date"), default=timezone.localdate)
    actor = models.CharField(_("actor"), max_length=16, choices=Actor.choices)
    level = models.CharField(
        _("level"), max_length=10, choices=Level.choices, default=Level.INDIVIDUAL
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    minutes = models.PositiveSmallIntegerField(
        # A context of its own: the meeting "minutes" of pilots would otherwise win the lookup.
        pgettext_lazy("time spent", "minutes"),
        null=True,
        blank=True,
        help_text=_("Time spent, roughly."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        validators=GUARDED,
        help_text=_("Optional and short. No names or details that identify the child."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    objects = site_scoped(path="case__site")

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__gte=1, minutes__lte=1440),
                name="case_event_minutes_in_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.occurred_on} · {self.get_actor_display()} · {self.get_kind_display()}"

    @property
    def is_intervention(self):
        return self.kind in EventKind.interventions()


class CaseChange(models.Model):
    """One saved change to a case (its change history): which fields, from what, to what."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    what = models.CharField(_("what"), max_length=20, choices=ChangeKind.choices)
    changes = models.JSONField(_("changes"), default=list)

    objects = site_scoped(path="case__site")

    class Meta:
        verbose_name = _("case change")
        verbose_name_plural = _("case changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.case} {self.changed_at:%Y-%m-%d %H:%M}"
