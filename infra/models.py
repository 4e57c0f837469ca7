"""The security audit record, kept for every app."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An audit record is never changed or deleted once written (retention aside)."""


class AuditKind(models.TextChoices):
    """What happened, for the security audit record."""

    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    MFA_FAILED = "mfa_failed", _("Wrong two-factor code")
    MFA_CHANGED = "mfa_changed", _("Two-factor settings changed")
    REFUSED = "refused", _("Refused request")
    THROTTLED = "throttled", _("Too many attempts")
    SESSIONS_ENDED = "sessions_ended", _("Sessions ended")
    RETENTION = "retention", _("Cases removed after the retention period")
    PERSONAL_DATA = "personal_data", _("A person's own data downloaded")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the security audit record is append-only")

    def delete(self):
        raise AppendOnlyError("the security audit record is append-only")


class AuditEvent(models.Model):
    """One line of the security audit record: a sign-in, a failed one, a wrong two-factor code,
    changed two-factor settings, a refused or throttled request, sessions ended, a retention run.

    Append-only, like the case access record (cases.CaseAccess): the application refuses to
    change or delete a line, and on PostgreSQL a trigger refuses too. The e-mail is copied in,
    so the line still says who after the person is gone."""

    kind = models.CharField(_("what"), max_length=16, choices=AuditKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # For a failed sign-in: the address that was tried, which may belong to no one.
    user_email = models.CharField(_("e-mail address"), max_length=254, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=8, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    site_slug = models.CharField(_("site"), max_length=60, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        db_table = "pilots_auditevent"  # moved from pilots; the table keeps its name
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "-at"], name="audit_event_kind_at")]

    def __str__(self):
        who = self.user_email or "-"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.get_kind_display()} {self.path}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("the security audit record is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the security audit record is append-only")
