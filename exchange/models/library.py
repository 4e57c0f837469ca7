import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from infra.pnr import validate_no_personal_number
from pilots.access import RestrictedQuerySet, own_sites_or_programme
from pilots.models.starting_points import ServingQuerySet, StartingPointsField

GUARDED = [validate_no_personal_number]


def library_path(instance, filename):
    # A random name under MEDIA_ROOT (never the static path): the original is kept in a field.
    suffix = PurePath(filename).suffix.lower()
    owner = f"s{instance.site_id}" if instance.site_id else "programme"
    return f"exchange/library/{owner}/{uuid.uuid4().hex}{suffix}"


class LibraryQuerySet(ServingQuerySet, RestrictedQuerySet):
    def restriction(self, user):
        """The library items of the person's sites, and the programme's library."""
        return own_sites_or_programme(user)

    def search(self, text):
        """Full-text search in Swedish on PostgreSQL; a plain substring search elsewhere."""
        text = (text or "").strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = SearchVector("title", weight="A", config="swedish") + SearchVector(
                "description", weight="B", config="swedish"
            )
            query = SearchQuery(text, config="swedish", search_type="websearch")
            return (
                self.annotate(rank=SearchRank(vector, query))
                .filter(rank__gt=0)
                .order_by("-rank", "-created_at")
            )
        return self.filter(Q(title__icontains=text) | Q(description__icontains=text))


class LibraryItem(models.Model):
    """A document or a link in the material library — guidance, templates, workshop material —
    shared by the coordinators with every site, or by a site with its own people."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="library_items",
        help_text=_("Empty for the programme's material, which every site can use."),
    )
    title = models.CharField(_("title"), max_length=200, validators=GUARDED)
    description = models.TextField(
        _("description"),
        blank=True,
        validators=GUARDED,
        help_text=_("What it is and when it helps."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=library_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    starting_points = StartingPointsField(
        _("starting points"),
        blank=True,
        help_text=_("Which of the programme's four starting points it serves."),
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_items",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A document or a link, never both and never neither.
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="library_item_is_file_or_link",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_link(self):
        return bool(self.url)

    def get_download_url(self):
        if self.site_id:
            return reverse(
                "exchange:site_library_download",
                kwargs={"site_slug": self.site.slug, "pk": self.pk},
            )
        return reverse("exchange:library_download", kwargs={"pk": self.pk})

    def get_href(self):
        return self.url or self.get_download_url()
