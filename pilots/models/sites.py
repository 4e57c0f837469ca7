from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .organisations import Actor, OrganisationKind
from .scoped import site_scoped


class Phase(models.TextChoices):
    """Where a site stands in the programme."""

    REGISTERED = "registered", pgettext_lazy("site phase", "Registered")
    PRE_STUDY = "pre_study", _("Pre-study")
    PLANNING = "planning", _("Planning")
    TESTING = "testing", _("Testing")
    REPORTING = "reporting", _("Reporting")
    CLOSED = "closed", pgettext_lazy("site phase", "Closed")


class PilotSite(models.Model):
    """A pilot site (pilotområde): one municipality with its region, working as a triad."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=60,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens, e.g. malmo."),
    )
    municipality = models.ForeignKey(
        "pilots.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="sites_as_municipality",
        limit_choices_to={"kind": "municipality"},
    )
    region = models.ForeignKey(
        "pilots.Organisation",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="sites_as_region",
        limit_choices_to={"kind": "region"},
    )
    school_actor = models.ForeignKey(
        "pilots.Organisation",
        verbose_name=_("school and student health"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation that stands for school and student health."),
    )
    social_actor = models.ForeignKey(
        "pilots.Organisation",
        verbose_name=_("social services"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation that stands for social services."),
    )
    health_actor = models.ForeignKey(
        "pilots.Organisation",
        verbose_name=_("healthcare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation that stands for healthcare."),
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.REGISTERED
    )
    case_code_prefix = models.CharField(
        _("case code prefix"),
        max_length=6,
        help_text=_("Starts every case code at this site, e.g. MAL in MAL-2018-007."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pilot site")
        verbose_name_plural = _("pilot sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["case_code_prefix"], name="site_unique_case_prefix"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pilots:site_home", kwargs={"site_slug": self.slug})

    @property
    def triad_complete(self):
        return bool(self.school_actor_id and self.social_actor_id and self.health_actor_id)

    def missing_actors(self):
        """The actors (of the three) that no organisation stands for yet."""
        return [actor for actor in Actor if getattr(self, f"{actor}_actor_id") is None]

    def organisations(self):
        """The site's municipality and region and the units within them (two levels deep):
        the organisations a project lead may choose among and look after."""
        from .organisations import Organisation

        tops = [self.municipality_id, self.region_id]
        return Organisation.objects.filter(
            Q(pk__in=tops) | Q(parent__in=tops) | Q(parent__parent__in=tops)
        )

    def units(self):
        """The units within the site's municipality and region."""
        return self.organisations().filter(kind=OrganisationKind.UNIT)

    def group_overview(self, role):
        """Its steering or working group now, per actor, with time set aside and former
        members (see pilots.models.memberships.GroupOverview)."""
        from .memberships import group_overview

        return group_overview(self, role)

    @property
    def is_planning(self):
        """Before the practical tests: what matters is plans, governance and workshops (the
        dashboard leads with them); from testing on, the tests and their cases lead."""
        return self.phase in (Phase.REGISTERED, Phase.PRE_STUDY, Phase.PLANNING)

    def next_steps(self, access):
        """What the site should do next, most fundamental first (see pilots.models.progress)."""
        from .progress import next_steps

        return next_steps(self, access)

    @transaction.atomic
    def set_phase(self, phase, *, by, note=""):
        """Move the site to another phase and record who did it and when."""
        if phase == self.phase:
            return None
        change = PhaseChange.objects.create(
            site=self, from_phase=self.phase, to_phase=phase, changed_by=by, note=note
        )
        self.phase = phase
        self.save(update_fields=["phase"])
        return change


class PhaseChange(models.Model):
    """A recorded move of a site from one phase to the next."""

    site = models.ForeignKey(
        PilotSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="phase_changes"
    )
    from_phase = models.CharField(_("from"), max_length=16, choices=Phase.choices)
    to_phase = models.CharField(_("to"), max_length=16, choices=Phase.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("phase change", "changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(pgettext_lazy("phase change", "changed"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = site_scoped()

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.site}: {self.get_from_phase_display()} → {self.get_to_phase_display()}"


class SchoolType(models.TextChoices):
    PRIMARY = "f6", _("Primary (F–6)")
    LOWER_SECONDARY = "79", _("Lower secondary (7–9)")
    COMPULSORY = "f9", _("Compulsory (F–9)")
    UPPER_SECONDARY = "gy", _("Upper secondary")


class School(models.Model):
    """A school chosen for the work at a site, where the triad meets the pupils."""

    site = models.ForeignKey(
        PilotSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="schools"
    )
    name = models.CharField(_("name"), max_length=150)
    school_type = models.CharField(_("school type"), max_length=4, choices=SchoolType.choices)
    pupils = models.PositiveIntegerField(_("number of pupils"), null=True, blank=True)
    is_active = models.BooleanField(
        _("part of the work"),
        default=True,
        help_text=_("Untick when the school leaves the work; its history stays."),
    )

    objects = site_scoped()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="school_unique_name_per_site"),
        ]

    def __str__(self):
        return self.name
