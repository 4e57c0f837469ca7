import datetime
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilots.access import RestrictedQuerySet, memberships_of, sites_of
from pilots.models import Actor, Membership, Role

from .registrations import Registration


def default_case_retention_days():
    return settings.TRIAD_CASE_RETENTION_DAYS


class ProgrammeQuerySet(RestrictedQuerySet):
    def restriction(self, user):
        """The programmes one of the person's sites takes part in."""
        taking_part = self.model.sites.through.objects.filter(pilotsite__in=sites_of(user))
        return Q(pk__in=taking_part.values("programme"))


class Programme(models.Model):
    """A round of the national programme (e.g. 2018) with its sites and its workshops."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the round is for, in a few sentences.")
    )
    sites = models.ManyToManyField(
        "pilots.PilotSite",
        verbose_name=_("pilot sites"),
        related_name="programmes",
        blank=True,
        help_text=_("The sites that take part; their people are invited to the workshops."),
    )
    case_retention_days = models.PositiveIntegerField(
        _("case retention (days)"),
        default=default_case_retention_days,
        validators=[MinValueValidator(30)],
        help_text=_(
            "How long a site's cases are kept after the site is closed; then they are removed "
            "for good. A site in several programmes keeps them for the longest period."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workshops:programme_detail", kwargs={"pk": self.pk})


class WorkshopQuerySet(RestrictedQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def restriction(self, user):
        """The published workshops of the programmes one of the person's sites takes part in."""
        return Q(is_published=True, programme__in=Programme.objects.restrict(user))

    def inviting(self, user):
        """The workshops that invite this person: an invited role of theirs at one of the
        programme's sites (see Workshop.invited_memberships)."""
        invited = Q(pk__in=[])
        for role in Role.values:
            sites = memberships_of(user).filter(role=role).values("site")
            invited |= Q(
                # A JSON list of role values, as the announcements' roles are read.
                invited_roles__icontains=f'"{role}"',
                programme__in=Programme.objects.filter(sites__in=sites),
            )
        return self.filter(invited)


class Workshop(models.Model):
    """One of the programme's workshops, where the sites meet to learn and report."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="workshops",
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Its place in the round."))
    title = models.CharField(_("title"), max_length=200)
    theme = models.TextField(_("theme"), blank=True, help_text=_("What the day is about."))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(
        _("place"), max_length=250, blank=True, help_text=_("Venue and address.")
    )
    online_link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    invited_roles = models.JSONField(
        _("invited roles"),
        default=list,
        help_text=_("Which people of each site are invited."),
    )
    seats_per_site = models.PositiveSmallIntegerField(
        _("places per site"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        help_text=_("Until then people can register and cancel themselves."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Only published workshops are shown to the sites and send reminders."),
    )

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["starts_at", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="workshop_unique_number_in_programme"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="workshop_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=models.F("starts_at")),
                name="workshop_registration_closes_before_start",
            ),
            models.CheckConstraint(
                condition=Q(seats_per_site__isnull=True) | Q(seats_per_site__gt=0),
                name="workshop_seats_positive",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("workshops:workshop_detail", kwargs={"pk": self.pk})

    @property
    def date(self) -> datetime.date:
        return timezone.localdate(self.starts_at)

    @property
    def is_past(self):
        return self.ends_at < timezone.now()

    def registration_is_open(self, at=None):
        at = at or timezone.now()
        return self.registration_opens_at <= at < self.registration_closes_at

    def invited_role_labels(self):
        labels = dict(Role.choices)
        return [labels[r] for r in self.invited_roles if r in labels]

    def agenda_items(self):
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    def invited_memberships(self, on: datetime.date | None = None):
        """The memberships through which people are invited: an invited role at a site of the
        programme, active on the day."""
        return Membership.objects.active(on).filter(
            site__in=self.programme.sites.all(), role__in=self.invited_roles
        )

    def invitation_sites(self, user, on=None):
        """The sites through which this person is invited (usually one)."""
        from pilots.models import PilotSite

        site_ids = self.invited_memberships(on).filter(user=user).values("site")
        return PilotSite.objects.filter(pk__in=site_ids)

    def is_invited(self, user) -> bool:
        return self.invited_memberships().filter(user=user).exists()

    def attendance(self, sites=None) -> "Attendance":
        """Who is registered and who came: the people of the given sites (all sites when
        none are given) per site, and per actor and in all over the whole workshop; cancelled
        registrations left out. The attendance page and its summary."""
        standing = Registration.objects.active().filter(workshop=self)
        listed = standing if sites is None else standing.filter(site__in=sites)
        by_site: dict = {}
        for r in listed.select_related("user", "site").order_by("site__name", "user__full_name"):
            by_site.setdefault(r.site, Turnout()).add(r)
        counted = {
            row["actor"]: row
            for row in standing.order_by()
            .values("actor")
            .annotate(
                # Not named after the fields they count: `attended` is one.
                n_registered=Count("pk"),
                n_came=Count("pk", filter=Q(attended=True)),
                n_taken=Count("pk", filter=Q(attended__isnull=False)),
            )
        }
        by_actor = [
            Turnout(label=label, registered=row["n_registered"], attended=row["n_came"])
            for value, label in [*Actor.choices, ("", _("Actor not given"))]
            for row in [counted.get(value)]
            if row
        ]
        return Attendance(
            by_site=by_site,
            by_actor=by_actor,
            total=sum(row["n_registered"] for row in counted.values()),
            attended=sum(row["n_came"] for row in counted.values()),
            taken=any(row["n_taken"] for row in counted.values()),
        )


@dataclass
class Turnout:
    """How many of a group of registrations stand, and how many of them came."""

    label: str = ""
    registered: int = 0
    attended: int = 0
    people: list = field(default_factory=list)

    def add(self, registration):
        self.registered += 1
        self.attended += registration.attended is True
        self.people.append(registration)


@dataclass(frozen=True)
class Attendance:
    """A workshop's attendance: per site (in the order of the sites' names), per actor, and
    the totals; `taken` once anyone's attendance is recorded."""

    by_site: dict
    by_actor: list
    total: int
    attended: int
    taken: bool


class MaterialQuerySet(RestrictedQuerySet):
    def restriction(self, user):
        """A material is for the people invited to its workshop."""
        return Q(workshop__in=Workshop.objects.restrict(user).inviting(user))


def material_path(instance, filename):
    suffix = PurePath(filename).suffix.lower()
    return f"workshops/materials/{instance.workshop_id}/{uuid.uuid4().hex}{suffix}"


class Material(models.Model):
    """A file for a workshop's participants: slides, handouts, method support."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["workshop", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workshops:material_download", kwargs={"pk": self.pk})
