from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from infra.pnr import validate_no_personal_number
from pilots.access import RestrictedQuerySet, own_sites_or_programme
from pilots.models import Actor
from pilots.models.scoped import site_scoped

GUARDED = [validate_no_personal_number]


class VignetteQuerySet(RestrictedQuerySet):
    def restriction(self, user):
        """The programme's vignettes and the person's sites' own; never another site's."""
        return own_sites_or_programme(user)


class Vignette(models.Model):
    """A written, fictional case told in stages, for the three actors to discuss (vinjett).

    Programme-wide when written by the coordinators (no site), or a site's own."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="vignettes",
        help_text=_("Empty for the programme's vignettes, which every site can work with."),
    )
    title = models.CharField(_("title"), max_length=200, validators=GUARDED)
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        validators=GUARDED,
        help_text=_("The setting, and what the discussion should bring out."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VignetteQuerySet.as_manager()

    class Meta:
        verbose_name = _("vignette")
        verbose_name_plural = _("vignettes")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"],
                condition=Q(site__isnull=True),
                name="vignette_unique_programme_title",
            ),
            models.UniqueConstraint(fields=["site", "title"], name="vignette_unique_site_title"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_programme_wide(self):
        return self.site_id is None


class VignetteStage(models.Model):
    """One stage of a vignette: what is known at this point of the story."""

    vignette = models.ForeignKey(
        Vignette, verbose_name=_("vignette"), on_delete=models.CASCADE, related_name="stages"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("heading"), max_length=200, validators=GUARDED)
    text = models.TextField(_("what happens"), validators=GUARDED)

    class Meta:
        verbose_name = _("vignette stage")
        verbose_name_plural = _("vignette stages")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vignette", "position"], name="vignette_stage_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class VignetteResponse(models.Model):
    """What one actor would do at one stage of a vignette, as a site's working group sees it."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="vignette_responses",
    )
    stage = models.ForeignKey(
        VignetteStage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="responses"
    )
    actor = models.CharField(_("actor"), max_length=16, choices=Actor.choices)
    text = models.TextField(_("what they would do"), validators=GUARDED)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = site_scoped()

    class Meta:
        verbose_name = _("vignette response")
        verbose_name_plural = _("vignette responses")
        ordering = ["stage__position", "actor"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "stage", "actor"], name="vignette_response_one_per_actor"
            ),
        ]

    def __str__(self):
        return f"{self.site} · {self.stage} · {self.get_actor_display()}"
