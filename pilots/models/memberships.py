import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .organisations import Actor

# The actors whose persons set time aside to work at the school (the school's own staff are there).
SET_ASIDE_ACTORS = (Actor.SOCIAL, Actor.HEALTH)


class Role(models.TextChoices):
    """What a person is at a site; the role decides what they may do there."""

    LEAD = "lead", _("Project lead")
    WORKING = "working", _("Working-group member")
    STEERING = "steering", _("Steering-group member")


class MembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        """Memberships that hold on a day (today by default): started and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def ended(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(ends_on__lt=on)

    def current(self, on: datetime.date | None = None):
        """Memberships not yet ended: those that hold now and those that start later."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def held_on(self, day: datetime.date):
        """Memberships that held on a given day (for who could attend a meeting then)."""
        return self.active(on=day)


class Membership(models.Model):
    """A person's place at a site for a period: project lead, working group or steering group.

    Ending a membership and adding a successor keeps the history, because turnover is the
    programme's main obstacle and the sites need to see it."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    actor = models.CharField(
        _("actor"),
        max_length=16,
        choices=Actor.choices,
        blank=True,
        help_text=_("Which of the three actors the person comes from."),
    )
    organisation = models.ForeignKey(
        "pilots.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    title = models.CharField(
        _("role title"), max_length=120, blank=True, help_text=_("E.g. school counsellor.")
    )
    hours_per_week = models.DecimalField(
        _("hours per week set aside"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("For the social-services and healthcare persons working at the school."),
    )
    planned_hours_per_week = models.DecimalField(
        _("hours per week planned"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    succeeds = models.ForeignKey(
        "self",
        verbose_name=_("succeeds"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "actor", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__gte=0),
                name="membership_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(planned_hours_per_week__isnull=True) | Q(planned_hours_per_week__gte=0),
                name="membership_planned_hours_not_negative",
            ),
            models.UniqueConstraint(
                fields=["site", "user", "role"],
                condition=Q(ends_on__isnull=True),
                name="membership_one_open_per_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.site}"

    @property
    def role_and_title(self) -> str:
        """The role, with the person's title when it says more ("Working group (counsellor)"),
        never the role twice ("Project lead (Project lead)")."""
        role = str(self.get_role_display())
        with translation.override("sv"):  # a title is often written in Swedish
            swedish = str(self.get_role_display())
        title = self.title.strip()
        if not title or title.casefold() in {role.casefold(), swedish.casefold()}:
            return role
        return f"{role} ({title})"

    @property
    def is_active(self):
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)

    @property
    def is_ended(self):
        return self.ends_on is not None and self.ends_on < timezone.localdate()

    def held_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    def clean(self):
        super().clean()
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        hours_given = self.hours_per_week is not None or self.planned_hours_per_week is not None
        if hours_given and self.actor not in SET_ASIDE_ACTORS:
            errors["hours_per_week"] = _(
                "Hours set aside are recorded for the social-services and healthcare persons "
                "who work at the school."
            )
        if (
            self.organisation_id
            and self.site_id
            and not self.site.organisations().filter(pk=self.organisation_id).exists()
        ):
            errors["organisation"] = _("Choose one of the site's own organisations.")
        if errors:
            raise ValidationError(errors)

    @transaction.atomic
    def end(self, *, on: datetime.date, reason: str):
        """End the membership; it stays as history, and a successor may follow it."""
        if self.is_ended:
            raise ValueError("membership has already ended")
        if on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
        self.ends_on = on
        self.end_reason = reason
        self.save(update_fields=["ends_on", "end_reason"])
        return self


@dataclass(frozen=True)
class GroupOverview:
    """One group of a site (steering or working group) as its page shows it.

    `sections`: (actor value, label, current members) for each actor, and for members whose
    actor is not stated if there are any; `leads`: the project leads now; `former`: members
    whose membership ended, latest first; `hours` (working group only): per set-aside actor,
    the hours a week set aside and planned, and how many people."""

    role: str
    leads: list
    sections: list
    former: list
    hours: list | None

    @property
    def has_current(self) -> bool:
        return any(members for _actor, _label, members in self.sections)


def group_overview(site, role) -> GroupOverview:
    memberships = list(
        site.memberships.filter(role__in=[role, Role.LEAD])
        .select_related("user", "organisation__parent", "succeeds__user")
        .prefetch_related("successors__user")
        .order_by("actor", "user__full_name", "-starts_on")
    )
    leads = [m for m in memberships if m.role == Role.LEAD and not m.is_ended]
    members = [m for m in memberships if m.role == role]
    current = [m for m in members if not m.is_ended]
    former = sorted((m for m in members if m.is_ended), key=lambda m: m.ends_on, reverse=True)
    by_actor = defaultdict(list)
    for m in current:
        by_actor[m.actor].append(m)
    sections = [(actor.value, actor.label, by_actor.get(actor.value, [])) for actor in Actor]
    if by_actor.get(""):
        sections.append(("", _("Actor not stated"), by_actor[""]))
    hours = None
    if role == Role.WORKING:
        hours = [
            {
                "actor": Actor(actor).label,
                "set_aside": sum((m.hours_per_week or Decimal(0) for m in people), Decimal(0)),
                "planned": sum(
                    (m.planned_hours_per_week or Decimal(0) for m in people), Decimal(0)
                ),
                "people": len(people),
            }
            for actor in SET_ASIDE_ACTORS
            for people in [by_actor.get(actor, [])]
        ]
    return GroupOverview(role=role, leads=leads, sections=sections, former=former, hours=hours)
