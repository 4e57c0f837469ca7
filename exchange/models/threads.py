from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infra.pnr import validate_no_personal_number
from pilots.access import RestrictedQuerySet, own_sites_or_programme

GUARDED = [validate_no_personal_number]


class ThreadQuerySet(RestrictedQuerySet):
    def restriction(self, user):
        """The threads of the person's sites, and the programme's threads."""
        return own_sites_or_programme(user)


class Thread(models.Model):
    """A discussion: programme-wide (no site) or within one site. It may be about a workshop,
    a practical test (its plan and results, never its cases) or a vignette."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="threads",
        help_text=_("Empty for a thread every site can read."),
    )
    title = models.CharField(_("title"), max_length=200, validators=GUARDED)
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("about the workshop"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threads",
    )
    practical_test = models.ForeignKey(
        "cases.PracticalTest",
        verbose_name=_("about the practical test"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threads",
    )
    vignette = models.ForeignKey(
        "cases.Vignette",
        verbose_name=_("about the vignette"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threads",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_post_at = models.DateTimeField(_("latest post"), default=timezone.now, db_index=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-last_post_at", "-pk"]
        constraints = [
            # One subject at most, so the thread page shows one clear context.
            models.CheckConstraint(
                condition=(
                    Q(workshop__isnull=True, practical_test__isnull=True)
                    | Q(workshop__isnull=True, vignette__isnull=True)
                    | Q(practical_test__isnull=True, vignette__isnull=True)
                ),
                name="thread_has_one_subject_at_most",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.site_id:
            return reverse(
                "exchange:site_thread_detail", kwargs={"site_slug": self.site.slug, "pk": self.pk}
            )
        return reverse("exchange:thread_detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if (
            sum(x is not None for x in (self.workshop_id, self.practical_test_id, self.vignette_id))
            > 1
        ):
            raise ValidationError(
                _("Choose one subject at most: a workshop, a test or a vignette.")
            )

    @property
    def subject(self):
        return self.workshop or self.practical_test or self.vignette

    def is_followed_by(self, user) -> bool:
        return self.follows.filter(user=user).exists()

    def follow(self, user):
        Follow.objects.get_or_create(thread=self, user=user)

    def unfollow(self, user):
        self.follows.filter(user=user).delete()


class Post(models.Model):
    """One contribution to a thread, written in Markdown; the first opens the thread.

    A coordinator may hide a post with a reason; its author still sees it, with the reason."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="exchange_posts",
    )
    body = models.TextField(
        _("text"),
        validators=GUARDED,
        help_text=_(
            "Markdown: **bold**, *italic*, lists, links. Write nothing that identifies a child."
        ),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.TextField(_("why it was hidden"), blank=True, validators=GUARDED)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="post_hidden_with_reason",
            ),
        ]

    def __str__(self):
        return _("Post by %(author)s in %(thread)s") % {
            "author": self.author,
            "thread": self.thread,
        }

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    def hide(self, *, by, reason):
        self.hidden_at = timezone.now()
        self.hidden_by = by
        self.hidden_reason = reason
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])

    def unhide(self):
        self.hidden_at = None
        self.hidden_by = None
        self.hidden_reason = ""
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])


class Follow(models.Model):
    """A person follows a thread: its new posts go into their digest."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="followed_threads",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="follow_once"),
        ]

    def __str__(self):
        return f"{self.user} → {self.thread}"


class HelpfulMark(models.Model):
    """A reader found a reply helpful."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="helpful_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("marked"), auto_now_add=True)

    class Meta:
        verbose_name = _("helpful mark")
        verbose_name_plural = _("helpful marks")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="helpful_once_per_person"),
        ]

    def __str__(self):
        return f"{self.user} → {self.post_id}"


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly, on Mondays")
    NEVER = "never", _("Never")


class DigestPreference(models.Model):
    """How often a person wants the digest of what is new in the threads they follow."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="digest_preference",
    )
    frequency = models.CharField(
        _("digest"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


class DigestSent(models.Model):
    """A digest e-mailed to a person for one period (a day or a week): one row per period,
    written in the same transaction as the decision to send."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.CharField(
        _("period"), max_length=16, help_text=_("e.g. d2018-09-03 (a day) or w2018-36 (a week).")
    )
    posts = models.PositiveIntegerField(_("new posts"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("sent digest")
        verbose_name_plural = _("sent digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="digest_once_per_period"),
        ]

    def __str__(self):
        return f"{self.user} · {self.period}"
