from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """The occasions Triad reminds people of; each person can turn any of them off."""

    REGISTRATION_OPEN = "registration_open", _("Registration for a workshop has opened")
    REGISTRATION_CLOSING = "registration_closing", _("Registration for a workshop closes soon")
    WORKSHOP_WEEK = "workshop_week", _("A workshop I am registered for is a week away")
    WORKSHOP_DAY = "workshop_day", _("A workshop I am registered for is tomorrow")
    DELIVERABLE_WEEK = "deliverable_week", _("My site's work for a workshop is due in a week")
    DELIVERABLE_OVERDUE = "deliverable_overdue", _("My site's work for a workshop is overdue")
    NO_REGISTRATIONS = "no_registrations", _("Nobody from my site has registered for a workshop")


class SentReminder(models.Model):
    """A reminder decided on: one row per person, kind and occasion, written in the same
    transaction as the decision to send, so a rerun or a retry never decides it twice. Its
    e-mail goes out in a task of its own, which marks the row delivered (see reminders.py)."""

    kind = models.CharField(_("kind"), max_length=24, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="workshop_reminders",
    )
    occasion = models.CharField(
        _("occasion"),
        max_length=60,
        help_text=_(
            "What the reminder is about, e.g. w12 (a workshop) or d4-s7 (a deliverable and a site)."
        ),
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="sent_reminders",
    )
    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    deliverable = models.ForeignKey(
        "workshops.Deliverable",
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due from"), help_text=_("When the reminder became due."))
    sent_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    queued_at = models.DateTimeField(
        _("queued"),
        null=True,
        blank=True,
        help_text=_("When its e-mail was last handed to the task queue (or is due to be retried)."),
    )
    delivered_at = models.DateTimeField(
        _("e-mail sent"),
        null=True,
        blank=True,
        help_text=_("When the mail server accepted its e-mail; empty while it is on its way."),
    )

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "occasion"], name="reminder_once_per_occasion"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"


class ReminderOptOut(models.Model):
    """A kind of reminder a person has turned off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="reminder_opt_outs",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ReminderKind.choices)

    class Meta:
        verbose_name = _("turned-off reminder")
        verbose_name_plural = _("turned-off reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="opt_out_once_per_kind"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}"


class CalendarFeed(models.Model):
    """A person's private calendar address with the workshops they are registered for. Only a
    digest of its secret is stored; renewing it replaces the digest, revoking deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="workshop_calendar",
    )
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
