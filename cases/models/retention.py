from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRecord(models.Model):
    """What the retention task removed at a closed site in one run: how many cases, with their
    timelines, consents, histories and access lines, and under which retention period.

    The site's name is copied in, so the record still says where after the site is gone."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="retention_records",
    )
    site_name = models.CharField(_("site name"), max_length=150)
    ran_at = models.DateTimeField(_("removed"), default=timezone.now)
    site_closed_at = models.DateTimeField(_("site closed"))
    retention_days = models.PositiveIntegerField(_("retention period (days)"))
    cases_removed = models.PositiveIntegerField(_("cases removed"))
    access_lines_removed = models.PositiveIntegerField(_("access log lines removed"))

    class Meta:
        verbose_name = _("retention record")
        verbose_name_plural = _("retention records")
        ordering = ["-ran_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cases_removed__gt=0), name="retention_removed_something"
            ),
        ]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d} {self.site_name}: {self.cases_removed}"
