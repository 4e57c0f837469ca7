import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoped import site_scoped
from .starting_points import ServingQuerySet, StartingPointsField


class SteeringMeeting(models.Model):
    """A meeting of a site's steering group, where the three actors' managers decide."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="steering_meetings",
    )
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        "pilots.Membership", verbose_name=_("present"), blank=True, related_name="meetings"
    )
    notes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = site_scoped()

    class Meta:
        verbose_name = _("steering-group meeting")
        verbose_name_plural = _("steering-group meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return _("Steering-group meeting %(date)s") % {"date": self.held_on.isoformat()}

    def get_absolute_url(self):
        return reverse("pilots:meeting_detail", kwargs={"site_slug": self.site.slug, "pk": self.pk})


class Decision(models.Model):
    """A decision of the steering group; the project lead turns it into working-group actions."""

    meeting = models.ForeignKey(
        SteeringMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    text = models.TextField(_("decision"))

    objects = site_scoped(path="meeting__site")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def site(self):
        return self.meeting.site


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class ActionQuerySet(ServingQuerySet):
    def unfinished(self):
        return self.exclude(status=ActionStatus.DONE)

    def overdue(self, on: datetime.date | None = None):
        """Unfinished actions whose due date has passed."""
        return self.unfinished().filter(due_on__lt=on or timezone.localdate())


class Action(models.Model):
    """Work the working group carries out, often following a steering-group decision."""

    site = models.ForeignKey(
        "pilots.PilotSite", verbose_name=_("site"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("follows decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    responsible = models.ForeignKey(
        "pilots.Membership",
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    starting_points = StartingPointsField(
        _("starting points"),
        blank=True,
        help_text=_("Which of the programme's four starting points the action serves."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = site_scoped(ActionQuerySet)

    class Meta:
        verbose_name = _("working-group action")
        verbose_name_plural = _("working-group actions")
        ordering = ["status", "due_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        return (
            self.status != ActionStatus.DONE
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.decision_id and self.decision.meeting.site_id != self.site_id:
            errors["decision"] = _("Choose one of the site's own decisions.")
        if self.responsible_id and self.responsible.site_id != self.site_id:
            errors["responsible"] = _("Choose a member of the site's working group.")
        if errors:
            raise ValidationError(errors)
