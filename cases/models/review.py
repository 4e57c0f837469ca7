"""The monthly follow-up of the case access record (HSLF-FS 2016:40 4 kap. 9 §: systematic and
repeated checks of who read what). The drawing itself is in cases/access_review.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilots.models.scoped import site_scoped


class SampleReason(models.TextChoices):
    """Why a read was drawn for review."""

    CLOSED = "closed", _("Read of a closed case")
    MANY = "many", _("Many cases in one day")
    OFF_HOURS = "off_hours", _("At night or at the weekend")
    FORMER = "former", _("By someone no longer in the working group")
    RANDOM = "random", _("Drawn at random")


class Verdict(models.TextChoices):
    """The reviewer's judgement of one read."""

    JUSTIFIED = "justified", _("Justified")
    UNJUSTIFIED = "unjustified", _("Not justified")


class AccessReview(models.Model):
    """One month's follow-up of a site's access record: the reads drawn for review.

    One per site and month (a unique row), so the monthly scan may run again harmlessly."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="access_reviews",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reviewed."))
    drawn_at = models.DateTimeField(_("drawn for review"), default=timezone.now)

    objects = site_scoped()

    class Meta:
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")
        ordering = ["-month", "site__name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "month"], name="access_review_one_per_month"),
        ]

    def __str__(self):
        return f"{self.site} {self.month:%Y-%m}"


class AccessReviewItem(models.Model):
    """One read drawn for review, and the reviewer's judgement of it.

    A project lead's own reads are never theirs to judge: they go to another lead of the site
    or, where there is none, to the coordinators (`for_coordinators`), who see them as counts
    without case codes."""

    review = models.ForeignKey(
        AccessReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="items"
    )
    # Removed with the line when the access record's retention removes it.
    access = models.ForeignKey(
        "cases.CaseAccess",
        verbose_name=_("case read"),
        on_delete=models.CASCADE,
        related_name="review_items",
    )
    reason = models.CharField(_("why drawn"), max_length=16, choices=SampleReason.choices)
    for_coordinators = models.BooleanField(
        _("reviewed by the coordinators"),
        default=False,
        help_text=_("A project lead's own reads at a site with no other project lead."),
    )
    verdict = models.CharField(_("judgement"), max_length=16, choices=Verdict.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_reviews_made",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = site_scoped(path="review__site")

    class Meta:
        verbose_name = _("reviewed read")
        verbose_name_plural = _("reviewed reads")
        ordering = ["review", "reason", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "access"], name="access_review_item_once"),
            models.CheckConstraint(
                condition=Q(verdict="") | Q(reviewed_at__isnull=False),
                name="access_review_item_judged_when",
            ),
        ]

    def __str__(self):
        return f"{self.review}: {self.get_reason_display()}"

    @property
    def is_reviewed(self) -> bool:
        return bool(self.verdict)
