from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
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


def _users(organisation, parent, grandparent) -> Q:
    """Pilot sites that use an organisation: as their municipality or region (it, or what it
    is part of, two levels up as PilotSite.organisations reaches), or as a triad actor."""
    q = Q(school_actor=organisation) | Q(social_actor=organisation) | Q(health_actor=organisation)
    for ref in (organisation, parent, grandparent):
        if ref is not None:
            q |= Q(municipality=ref) | Q(region=ref)
    return q


class OrganisationQuerySet(models.QuerySet):
    def with_site_count(self):
        """Annotates `site_count`: how many pilot sites use each organisation."""
        from .sites import PilotSite

        users = PilotSite.objects.filter(
            _users(OuterRef("pk"), OuterRef("parent"), OuterRef("parent__parent"))
        )
        count = users.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        return self.annotate(site_count=Subquery(count))


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

    objects = OrganisationQuerySet.as_manager()

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

    def sites_using(self):
        """The pilot sites that use this organisation: as their municipality or region, as a
        unit within one of those, or as one of the actors of their triad."""
        from .sites import PilotSite

        grandparent = self.parent.parent_id if self.parent_id else None
        return PilotSite.objects.filter(_users(self.pk, self.parent_id, grandparent))

    def is_shared(self) -> bool:
        """A region, or an organisation that more than one pilot site uses: a change to it
        shows at every one of them, so only the national coordinators make it. A project
        lead changes only the units their own site alone uses."""
        if self.kind == OrganisationKind.REGION:
            return True
        count = getattr(self, "site_count", None)  # from with_site_count(), if read so
        if count is None:
            count = self.sites_using().count()
        return count > 1

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
