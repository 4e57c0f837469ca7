from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilots.models.scoped import site_scoped

from .choices import AccessAction


class AppendOnlyError(Exception):
    """The audit record is never changed or deleted once written."""


class CaseAccessQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the case access record is append-only")

    def delete(self):
        raise AppendOnlyError("the case access record is append-only")


class CaseAccess(models.Model):
    """One line of the audit record: who viewed, listed, changed or exported a case, and when.

    Append-only. The person's e-mail and the case code are copied in, so the line still says
    who and what after a person leaves, a code changes, or retention removes the case (the
    link to the case is then emptied and the line stays, HSLF-FS 2016:40 4 kap. 9 §, until
    retention removes lines older than TRIAD_ACCESS_LOG_RETENTION_YEARS)."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="case_accesses",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="accesses",
    )
    case_code = models.CharField(_("case code"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    user_email = models.EmailField(_("e-mail address"))
    user_name = models.CharField(_("name"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=16, choices=AccessAction.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    path = models.CharField(_("page"), max_length=300, blank=True)

    objects = site_scoped(CaseAccessQuerySet)

    class Meta:
        verbose_name = _("case access")
        verbose_name_plural = _("case accesses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["case", "-at"], name="case_access_case_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email} {self.get_action_display()} {self.case_code}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("the case access record is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the case access record is append-only")
