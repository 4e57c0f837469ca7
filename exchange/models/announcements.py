from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infra.pnr import validate_no_personal_number
from pilots.access import RestrictedQuerySet, memberships_of
from pilots.models import Membership, Role

GUARDED = [validate_no_personal_number]


def _audience_q(memberships) -> Q:
    """Announcements that reach any of these (site_id, role) pairs."""
    q = Q(pk__in=[])
    for site_id, role in memberships:
        reaches_site = Q(all_sites=True) | Q(sites=site_id)
        # Roles are a JSON list of values; an empty list reaches every role.
        reaches_role = Q(roles=[]) | Q(roles__icontains=f'"{role}"')
        q |= reaches_site & reaches_role
    return q


class AnnouncementQuerySet(RestrictedQuerySet):
    def published(self, at=None):
        return self.filter(published_at__lte=at or timezone.now())

    def restriction(self, user):
        """What reaches the person: published, and addressed to a site and role they hold now.
        (Coordinators see every announcement, the ones not yet published too.)"""
        pairs = set(memberships_of(user).values_list("site_id", "role"))
        reaching = self.model._default_manager.filter(_audience_q(pairs)).values("pk")
        return Q(pk__in=reaching, published_at__lte=timezone.now())

    def addressed_to(self, site, roles=None):
        """What is addressed to this site and to one of these roles (None: to any role)."""
        roles = Role.values if roles is None else roles
        audience = _audience_q((site.pk, role) for role in roles)
        return self.filter(pk__in=self.model._default_manager.filter(audience).values("pk"))


class Announcement(models.Model):
    """News from the national coordinators to all sites or chosen sites and roles."""

    title = models.CharField(_("title"), max_length=200, validators=GUARDED)
    body = models.TextField(
        _("text"), validators=GUARDED, help_text=_("Markdown: **bold**, *italic*, lists, links.")
    )
    all_sites = models.BooleanField(_("to every site"), default=True)
    sites = models.ManyToManyField(
        "pilots.PilotSite",
        verbose_name=_("to these sites"),
        blank=True,
        related_name="announcements",
        help_text=_("Used when the announcement is not for every site."),
    )
    roles = models.JSONField(
        _("to these roles"),
        default=list,
        blank=True,
        help_text=_("Leave empty to reach every role."),
    )
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Pinned announcements stay at the top.")
    )
    send_email = models.BooleanField(
        _("send by e-mail too"),
        default=False,
        help_text=_("Everyone it reaches gets it by e-mail once, in their own language."),
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-pinned", "-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exchange:announcement_detail", kwargs={"pk": self.pk})

    def get_roles_display(self):
        labels = dict(Role.choices)
        return [labels[r] for r in Role.values if r in (self.roles or [])]

    def recipients(self):
        """The active people it reaches now (coordinators read it in Triad; sites get it)."""
        from pilots.models import User

        memberships = Membership.objects.active().filter(user__is_active=True)
        if not self.all_sites:
            memberships = memberships.filter(site__in=self.sites.all())
        if self.roles:
            memberships = memberships.filter(role__in=self.roles)
        return User.objects.filter(pk__in=memberships.values("user")).order_by("pk")

    def mark_read(self, user):
        AnnouncementRead.objects.get_or_create(announcement=self, user=user)


class AnnouncementRead(models.Model):
    """That a person has read an announcement."""

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.CASCADE, related_name="reads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="announcement_reads",
    )
    read_at = models.DateTimeField(_("read"), auto_now_add=True)

    class Meta:
        verbose_name = _("read mark")
        verbose_name_plural = _("read marks")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="announcement_read_once"),
        ]

    def __str__(self):
        return f"{self.user} · {self.announcement}"


class AnnouncementDelivery(models.Model):
    """An announcement e-mailed to one person: written in the same transaction as the decision
    to send, so a rerun or a retried task never sends it twice."""

    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement e-mail")
        verbose_name_plural = _("announcement e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "recipient"], name="announcement_mailed_once"
            ),
        ]

    def __str__(self):
        return f"{self.announcement} → {self.recipient}"
