from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .scoped import site_scoped


class DocumentKind(models.TextChoices):
    PROJECT_PLAN = "project_plan", _("Project plan")
    ACTION_PLAN = "action_plan", _("Action plan")
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")


# The sections each kind of document is written in, in order: (key, heading, guidance).
SECTIONS = {
    DocumentKind.PROJECT_PLAN: [
        ("background", _("Background"), _("Why the site takes part; the local situation.")),
        ("aim", _("Aim and goals"), _("What the work should achieve, and how you will know.")),
        (
            "starting_points",
            _("Starting points"),
            _("How the work serves the four starting points."),
        ),
        (
            "organisation",
            _("Organisation"),
            _(
                "Steering group, working group, project lead and how information moves between them."
            ),
        ),
        (
            "schools",
            _("Schools and target group"),
            _("Which schools, which school years, which pupils."),
        ),
        ("resources", _("Resources"), _("Time set aside by each actor, premises, budget.")),
        (
            "timeline",
            pgettext_lazy("plan section", "Timeline"),
            _("Milestones, with the programme's workshops."),
        ),
        (
            "risks",
            _("Risks and obstacles"),
            _("E.g. staff turnover, different laws, distance — and what you do about them."),
        ),
    ],
    DocumentKind.ACTION_PLAN: [
        ("activities", _("Activities"), _("What will be done, by whom and when.")),
        (
            "practical_tests",
            _("Practical tests"),
            _("Which tests you plan and what each will try."),
        ),
        ("communication", _("Communication"), _("How staff, pupils and guardians are told.")),
        ("follow_up", _("Follow-up"), _("How you measure and report progress.")),
    ],
    DocumentKind.NEEDS_ANALYSIS: [
        (
            "current_state",
            _("Current state"),
            _("How first-line support works today at the schools."),
        ),
        ("needs", _("Needs"), _("What children and young people need that they do not get.")),
        ("data", _("What the needs rest on"), _("Surveys, statistics, staff experience.")),
        (
            "gaps",
            _("Gaps between the actors"),
            _("Where school, social services and healthcare do not meet."),
        ),
        ("priorities", _("Priorities"), _("What the site will work on first.")),
    ],
}


class PlanDocument(models.Model):
    """A site's project plan, action plan or needs analysis; its text lives in versions."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    approved_version = models.ForeignKey(
        "pilots.PlanVersion",
        verbose_name=_("approved version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The version the steering group approved."),
    )

    objects = site_scoped()

    class Meta:
        verbose_name = _("plan document")
        verbose_name_plural = _("plan documents")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind"], name="document_one_per_kind_per_site"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.site}"

    def get_absolute_url(self):
        return reverse(
            "pilots:document_detail", kwargs={"site_slug": self.site.slug, "kind": self.kind}
        )

    @property
    def sections(self):
        return SECTIONS[self.kind]

    def latest_version(self):
        return self.versions.order_by("-number").first()

    @transaction.atomic
    def add_version(self, *, sections: dict, author, note=""):
        """Save the text as the next version; earlier versions stay as they were."""
        # Lock the document so two people saving at once get numbers one after the other.
        PlanDocument.objects.select_for_update().filter(pk=self.pk).first()
        last = self.versions.order_by("-number").values_list("number", flat=True).first() or 0
        known = {key for key, _h, _g in self.sections}
        return self.versions.create(
            number=last + 1,
            sections={k: v.strip() for k, v in sections.items() if k in known},
            author=author,
            note=note,
        )

    @transaction.atomic
    def approve(self, version: "PlanVersion", *, on, by, meeting=None):
        """Record that the steering group approved `version` (on a day, perhaps at a meeting)."""
        if version.document_id != self.pk:
            raise ValueError("the version belongs to another document")
        if meeting is not None and meeting.site_id != self.site_id:
            raise ValueError("the meeting belongs to another site")
        version.approved_on = on
        version.approved_by = by
        version.approval_meeting = meeting
        version.save(update_fields=["approved_on", "approved_by", "approval_meeting"])
        # The document points at the newest approved version, whichever was approved last.
        newest = self.versions.filter(approved_on__isnull=False).order_by("-number").first()
        self.approved_version = newest
        self.save(update_fields=["approved_version"])
        return version

    def history(self):
        """Every version, newest first, each with `changed` — the headings of the sections
        that differ from the version before it."""
        versions = list(
            self.versions.select_related("author", "approval_meeting").order_by("number")
        )
        previous = {}
        for version in versions:
            version.changed = [
                heading
                for key, heading, _g in self.sections
                if version.sections.get(key, "") != previous.get(key, "")
            ]
            previous = version.sections
        return versions[::-1]


class PlanVersion(models.Model):
    """One saved version of a plan document: its sections, who wrote it and when."""

    document = models.ForeignKey(
        PlanDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    sections = models.JSONField(_("sections"), default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    approved_on = models.DateField(
        _("approved by the steering group on"),
        null=True,
        blank=True,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approval recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_meeting = models.ForeignKey(
        "pilots.SteeringMeeting",
        verbose_name=_("approved at meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_versions",
    )

    objects = site_scoped(path="document__site")

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_unique_number"),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"

    def get_absolute_url(self):
        return reverse(
            "pilots:document_version",
            kwargs={"site_slug": self.document.site.slug, "pk": self.pk},
        )

    @property
    def is_approved(self):
        # The document's pointer counts too, for versions approved before approvals were dated.
        return self.approved_on is not None or self.document.approved_version_id == self.pk

    def section_list(self):
        """(heading, guidance, text) in the document's order, for display."""
        return [
            (heading, guidance, self.sections.get(key, ""))
            for key, heading, guidance in SECTIONS[self.document.kind]
        ]
