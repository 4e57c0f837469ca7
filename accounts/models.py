"""Invitations: how a person comes to a role at a site, or to the national coordinators."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilots.models.memberships import Role
from pilots.models.organisations import Actor


def _default_expiry():
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed invitation to a role at a site, or to be a national coordinator.

    There is no public sign-up: this is how every person comes into Triad."""

    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    as_coordinator = models.BooleanField(_("as national coordinator"), default=False)
    actor = models.CharField(_("actor"), max_length=16, choices=Actor.choices, blank=True)
    organisation = models.ForeignKey(
        "pilots.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("role title"), max_length=120, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week set aside"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    succeeds = models.ForeignKey(
        "pilots.Membership",
        verbose_name=_("succeeds"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"), default=_default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        db_table = "pilots_invitation"  # moved from pilots; the table keeps its name
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(as_coordinator=True)
                | (models.Q(site__isnull=False) & ~models.Q(role="")),
                name="invitation_has_role",
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.role_label}"

    @property
    def role_label(self):
        if self.as_coordinator:
            return _("National coordinator")
        return f"{self.get_role_display()}, {self.site}"

    @property
    def valid_days(self) -> int:
        """How many days the link works, as the invitation page promises
        (INVITATION_VALID_DAYS): whole days, though the expiry was set a moment before the
        invitation was saved (13 days 23:59:59 is read as 14)."""
        start = self.created_at or timezone.now()
        return round((self.expires_at - start).total_seconds() / 86400)

    @property
    def is_usable(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
