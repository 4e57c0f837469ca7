from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Actor(models.TextChoices):
    """The three actors of the triad (huvudmän)."""

    SCHOOL = "school", _("School and student health")
    SOCIAL = "social", _("Social services")
    HEALTH = "health", _("Healthcare")


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    UNIT = "unit", _("Unit")


class Organisation(models.Model):
    """A municipality, a region, or a unit within one (an administration, a clinic, a school)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    actor = models.CharField(
        _("actor"),
        max_length=16,
        choices=Actor.choices,
        blank=True,
        help_text=_("For a unit: which of the three actors it belongs to."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "kind", "parent"], name="organisation_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name", "kind"],
                condition=models.Q(parent__isnull=True),
                name="organisation_unique_top_level_name",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="unit") | models.Q(parent__isnull=False),
                name="organisation_unit_has_parent",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="unit") | ~models.Q(actor=""),
                name="organisation_unit_has_actor",
            ),
        ]

    def __str__(self):
        if self.parent_id and self.kind == OrganisationKind.UNIT:
            return f"{self.name} ({self.parent.name})"
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == OrganisationKind.UNIT:
            if not self.actor:
                errors["actor"] = _("Say which of the three actors the unit belongs to.")
            if not self.parent_id:
                errors["parent"] = _("Say which municipality, region or unit it is part of.")
        elif self.parent_id:
            errors["parent"] = _("A municipality or region is not part of another organisation.")
        if self.pk and self.parent_id:
            ancestor, seen = self.parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.pk:
                    errors["parent"] = _("An organisation cannot be part of itself.")
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        if errors:
            raise ValidationError(errors)
