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


class Compliance(models.TextChoices):
    """How far the service meets the accessibility requirements (DIGG's three levels)."""

    FULL = "full", _("Fully compliant")
    PARTIAL = "partial", _("Partially compliant")
    NONE = "none", _("Not compliant")


# The statement as first published: Triad's own assessment, for the coordinators to correct.
DEFAULT_NOT_ACCESSIBLE = (
    "Diagrammen på områdenas lägesbilder visas som bilder; siffrorna finns i tabellerna bredvid "
    "dem men diagrammen saknar egen textbeskrivning.\n"
    "Pdf-filen till styrgruppen är inte taggad för skärmläsare. Samma siffror finns på "
    "lägesbilden i webbläsaren.\n"
    "Filer som områdena själva laddar upp (planer, leveranser, material) granskas inte av oss "
    "och kan brista i tillgänglighet."
)
DEFAULT_ASSESSMENT = (
    "Vi har själva bedömt tjänsten: automatiska tester med axe-core på de sidor som varje roll "
    "använder sin första timme, i bredderna 1366 och 375 pixlar, och manuell prövning med "
    "tangentbord och förstoring."
)
DEFAULT_FEEDBACK = (
    "Om du inte kan använda någon del av Triad, eller upptäcker brister i tillgängligheten, "
    "skriv till triad@example.org. Vi svarar inom fem arbetsdagar."
)


class AccessibilityStatement(models.Model):
    """The service's accessibility statement (tillgänglighetsredogörelse) under lag
    (2018:1937), as DIGG asks it to be written; one row, edited by the coordinators."""

    actor = models.CharField(
        _("responsible actor"),
        max_length=200,
        default="Det nationella utvecklingsprogrammet för elevhälsobaserad första linje",
        help_text=_("Who runs the service and answers for it."),
    )
    service = models.CharField(
        _("service"),
        max_length=200,
        default="Triad, programmets och pilotområdenas arbetsverktyg",
    )
    compliance = models.CharField(
        _("level of compliance"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
        help_text=_("Measured against WCAG 2.1 level AA (EN 301 549)."),
    )
    not_accessible = models.TextField(
        _("what is not accessible, and why"), default=DEFAULT_NOT_ACCESSIBLE
    )
    assessment = models.TextField(_("how the service was assessed"), default=DEFAULT_ASSESSMENT)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    feedback = models.TextField(_("how to give feedback"), default=DEFAULT_FEEDBACK)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "AccessibilityStatement":
        """The statement, made with its default text the first time it is asked for."""
        statement = cls.objects.order_by("pk").first()
        return statement or cls.objects.create()
