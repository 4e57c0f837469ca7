import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pilots.access import RestrictedQuerySet
from pilots.models.scoped import site_scoped

from .programmes import Workshop


class DeliverableKind(models.TextChoices):
    """What a site is asked to bring; it decides which of the site's objects fit."""

    PROJECT_PLAN = "project_plan", _("Project plan")
    ACTION_PLAN = "action_plan", _("Action plan")
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")
    VIGNETTE = "vignette", _("Vignette work")
    TEST_PLAN = "test_plan", _("Plan for a practical test")
    TEST_RESULTS = "test_results", _("Results of a practical test")
    OTHER = "other", _("Other")


class DeliverableQuerySet(RestrictedQuerySet):
    def restriction(self, user):
        """What the sites must bring to the workshops the person may see."""
        return Q(workshop__in=Workshop.objects.restrict(user))


class Deliverable(models.Model):
    """Work each site of the programme must deliver before a workshop."""

    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeliverableKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("what is asked"), blank=True, help_text=_("What a good delivery contains.")
    )
    due_at = models.DateTimeField(pgettext_lazy("deliverable", "due"))

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["due_at", "workshop", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "title"], name="deliverable_unique_title_per_workshop"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        return self.due_at < timezone.now()


class DeliveryStatus(models.TextChoices):
    """Where a site's delivery stands in the coordinators' review."""

    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    NEEDS_REVISION = "needs_revision", _("Needs revision")


def delivery_path(instance, filename):
    suffix = PurePath(filename).suffix.lower()
    return f"workshops/deliveries/{instance.site_id}/{uuid.uuid4().hex}{suffix}"


class Delivery(models.Model):
    """A site's answer to a deliverable: a link to its plan, analysis or test, or a file."""

    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="workshop_deliveries",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.SUBMITTED
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of linked object"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("linked object"), null=True, blank=True)
    linked = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=delivery_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    note = models.TextField(_("note to the coordinators"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("delivered"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = site_scoped()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["deliverable", "site__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "site"], name="delivery_one_per_site_and_deliverable"
            ),
            models.CheckConstraint(
                condition=(Q(content_type__isnull=False) & Q(object_id__isnull=False))
                | ~Q(file=""),
                name="delivery_links_an_object_or_a_file",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_at__isnull=False),
                name="delivery_reviewed_has_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.deliverable} – {self.site}"

    def get_absolute_url(self):
        return reverse(
            "workshops:site_deliverable",
            kwargs={"site_slug": self.site.slug, "pk": self.deliverable_id},
        )

    @property
    def is_late(self):
        return self.submitted_at > self.deliverable.due_at


class DeliveryEvent(models.Model):
    """One step in a delivery's history: delivered, accepted or sent back with a comment."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Delivered")
        ACCEPTED = "accepted", _("Accepted")
        NEEDS_REVISION = "needs_revision", _("Sent back for revision")

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("what happened"), max_length=20, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = site_scoped(path="delivery__site")

    class Meta:
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.delivery}: {self.get_action_display()}"
