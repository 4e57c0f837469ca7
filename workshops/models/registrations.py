from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pilots.models import Actor
from pilots.models.scoped import site_scoped


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that stand: not cancelled."""
        return self.filter(cancelled_at__isnull=True)


class Registration(models.Model):
    """A person's place at a workshop, for one of their sites; cancelled ones stay as history."""

    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="workshop_registrations",
    )
    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="workshop_registrations",
    )
    actor = models.CharField(
        _("actor"),
        max_length=16,
        choices=Actor.choices,
        blank=True,
        help_text=_("The actor the person came from when they registered."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attended = models.BooleanField(
        _("attended"), null=True, blank=True, help_text=_("Empty until attendance is taken.")
    )

    objects = site_scoped(RegistrationQuerySet)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["workshop", "site__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=Q(cancelled_at__isnull=True),
                name="registration_one_standing_per_person",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(attended__isnull=True),
                name="registration_cancelled_has_no_attendance",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.workshop} ({self.site})"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None
