"""Invitations: how a person comes to a role at a site, or to the national coordinators."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
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


class IdentityProtocol(models.TextChoices):
    SAML = "saml", _("SAML 2.0")
    OIDC = "openid_connect", _("OpenID Connect")


def _default_mfa_values():
    from .federation import DEFAULT_MFA_VALUES

    return DEFAULT_MFA_VALUES


class IdentityConnection(models.Model):
    """An organisation's own identity provider, through which its people sign in to Triad.

    It owns the allauth SocialApp that holds the protocol's settings; which people it signs in
    is said by its e-mail domains (ConnectionDomain)."""

    organisation = models.ForeignKey(
        "pilots.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="identity_connections",
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Shown to people when they sign in, e.g. “Malmö stad”."),
    )
    slug = models.SlugField(
        _("short name"),
        max_length=40,
        unique=True,
        help_text=_("Part of the addresses the provider sends people back to."),
    )
    protocol = models.CharField(_("protocol"), max_length=16, choices=IdentityProtocol.choices)
    app = models.OneToOneField(
        "socialaccount.SocialApp",
        on_delete=models.PROTECT,
        related_name="triad_connection",
        editable=False,
    )
    trust_email = models.BooleanField(
        _("trust the e-mail address the provider asserts"),
        default=False,
        help_text=_(
            "Only if the provider verifies every address it sends. Otherwise a person is "
            "linked only from their invitation or by linking it themselves after signing in."
        ),
    )
    mfa_values = models.TextField(
        _("values that mean multi-factor sign-in"),
        blank=True,
        default=_default_mfa_values,
        help_text=_(
            "One per line: OIDC acr/amr values or SAML authentication context classes. When "
            "the provider asserts one of them, Triad asks for no second factor of its own."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity provider connection")
        verbose_name_plural = _("identity provider connections")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.get_protocol_display()})"

    def mfa_value_set(self) -> set[str]:
        return {line.strip().lower() for line in self.mfa_values.splitlines() if line.strip()}

    def get_provider(self, request):
        return self.app.get_provider(request)


class ConnectionDomain(models.Model):
    """An e-mail domain whose people sign in through an identity provider connection."""

    connection = models.ForeignKey(
        IdentityConnection,
        verbose_name=_("connection"),
        on_delete=models.CASCADE,
        related_name="domains",
    )
    domain = models.CharField(_("e-mail domain"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")),
                name="connection_domain_lower_case",
            ),
        ]

    def __str__(self):
        return self.domain
