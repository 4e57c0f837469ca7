from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from infra.pnr import validate_no_personal_number
from pilots.models.scoped import site_scoped
from pilots.models.starting_points import ServingQuerySet, StartingPointsField

from .choices import Fidelity, InterventionStatus
from .dates import CaseDateField

GUARDED = [validate_no_personal_number]


class InterventionProgramme(models.Model):
    """A general intervention the programme supports, e.g. PALS or YAM, with its checklist."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, unique=True)
    description = models.TextField(_("description"), blank=True, validators=GUARDED)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Untick to stop offering it to sites.")
    )

    class Meta:
        verbose_name = _("intervention programme")
        verbose_name_plural = _("intervention programmes")
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name


class FidelityItem(models.Model):
    """One point of a programme's fidelity checklist: what must hold for it to work as meant."""

    programme = models.ForeignKey(
        InterventionProgramme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="fidelity_items",
    )
    position = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("what must hold"), max_length=300, validators=GUARDED)

    class Meta:
        verbose_name = _("fidelity checklist item")
        verbose_name_plural = _("fidelity checklist items")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="fidelity_item_unique_position"
            ),
        ]

    def __str__(self):
        return self.text


@dataclass(frozen=True)
class Reach:
    """How far general interventions reach. A group counts once, with its size, however many
    sessions it took part in; sessions and the attendance summed over them are kept apart."""

    groups: int = 0  # recorded groups that took part in at least one session
    pupils: int = 0  # the sizes of those groups, each counted once
    sessions: int = 0  # sessions held
    attendance: int = 0  # pupils present, summed over the sessions

    def as_dict(self):
        return asdict(self)


class InterventionQuerySet(ServingQuerySet):
    def reach(self, *by) -> dict:
        """{key: Reach} of these interventions, grouped by fields of the intervention (`by`,
        e.g. "site", "programme__short_name"; the key is the value of the one field, or a
        tuple of the values of several). The one place reach is counted: every page and summary
        reads it here. Two grouped queries, however many interventions."""
        ids = self.order_by().values("pk")
        keys = [f"intervention__{field}" for field in by]
        took_part = Exists(
            InterventionSession.groups.through.objects.filter(interventiongroup=OuterRef("pk"))
        )
        groups = (
            InterventionGroup.objects.filter(took_part, intervention__in=ids)
            .order_by()
            .values(*keys)
            .annotate(n=Count("pk"), pupils=Sum("size"))
        )
        sessions = (
            InterventionSession.objects.filter(intervention__in=ids)
            .order_by()
            .values(*keys)
            .annotate(n=Count("pk"), attendance=Sum("attendance"))
        )

        def key(row):
            values = tuple(row[k] for k in keys)
            return values[0] if len(values) == 1 else values

        counts = {}
        for row in groups:
            counts[key(row)] = {"groups": row["n"], "pupils": row["pupils"] or 0}
        for row in sessions:
            counts.setdefault(key(row), {}).update(
                sessions=row["n"], attendance=row["attendance"] or 0
            )
        return {k: Reach(**c) for k, c in counts.items()}


class Intervention(models.Model):
    """A general intervention at one school of a site: PALS, YAM or another programme."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="interventions",
    )
    programme = models.ForeignKey(
        InterventionProgramme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    school = models.ForeignKey(
        "pilots.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InterventionStatus.choices,
        default=InterventionStatus.PREPARING,
    )
    groups_description = models.CharField(
        _("which groups or classes"),
        max_length=300,
        blank=True,
        validators=GUARDED,
        help_text=_("E.g. all classes in year 8, or the whole school."),
    )
    starting_points = StartingPointsField(
        _("starting points"),
        blank=True,
        help_text=_("Which of the programme's four starting points the intervention serves."),
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=GUARDED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = site_scoped(InterventionQuerySet)

    class Meta:
        verbose_name = _("general intervention")
        verbose_name_plural = _("general interventions")
        ordering = ["programme__short_name", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "programme", "school"], name="intervention_one_per_school"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="intervention_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.programme} – {self.school}"

    def get_absolute_url(self):
        return reverse(
            "cases:intervention_detail", kwargs={"site_slug": self.site.slug, "pk": self.pk}
        )

    def reach(self) -> Reach:
        return Intervention.objects.filter(pk=self.pk).reach("pk").get(self.pk, Reach())


class InterventionGroup(models.Model):
    """A group or class a general intervention is for, with how many pupils are in it. Once it
    has taken part in a session its pupils count as reached, once each."""

    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.CASCADE,
        related_name="groups",
    )
    name = models.CharField(
        _("group or class"),
        max_length=100,
        validators=GUARDED,
        help_text=_("E.g. 8A, or the whole school."),
    )
    size = models.PositiveSmallIntegerField(_("pupils in it"), validators=[MinValueValidator(1)])

    objects = site_scoped(path="intervention__site")

    class Meta:
        verbose_name = _("group or class")
        verbose_name_plural = _("groups or classes")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "name"], name="intervention_group_unique_name"
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="intervention_group_has_pupils"),
        ]

    def __str__(self):
        return self.name


class InterventionSession(models.Model):
    """One session of a general intervention: when, who led it, which of its groups took part
    and how many pupils were there."""

    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    held_on = CaseDateField(_("date"))
    instructors = models.CharField(
        _("instructors"),
        max_length=200,
        validators=GUARDED,
        help_text=_("The staff who led it, e.g. two certified YAM instructors."),
    )
    groups = models.ManyToManyField(
        InterventionGroup,
        verbose_name=_("groups or classes"),
        related_name="sessions",
        help_text=_("The groups that took part."),
    )
    attendance = models.PositiveSmallIntegerField(
        _("pupils present"), help_text=_("How many pupils were there, of the groups chosen.")
    )
    note = models.TextField(_("note"), blank=True, validators=GUARDED)

    objects = site_scoped(path="intervention__site")

    class Meta:
        verbose_name = pgettext_lazy("intervention", "session")
        verbose_name_plural = pgettext_lazy("intervention", "sessions")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.intervention} {self.held_on}"


class FidelityCheck(models.Model):
    """How well one point of the fidelity checklist is met by one intervention."""

    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.CASCADE,
        related_name="fidelity_checks",
    )
    item = models.ForeignKey(
        FidelityItem, verbose_name=_("checklist item"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("met"), max_length=8, choices=Fidelity.choices)
    note = models.CharField(_("comment"), max_length=300, blank=True, validators=GUARDED)
    checked_on = models.DateField(_("checked"), auto_now=True)

    objects = site_scoped(path="intervention__site")

    class Meta:
        verbose_name = _("fidelity check")
        verbose_name_plural = _("fidelity checks")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "item"], name="fidelity_check_one_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.get_status_display()}"
