from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infra.pnr import validate_no_personal_number
from pilots.models.scoped import site_scoped
from pilots.models.starting_points import ServingQuerySet, StartingPointsField

from .choices import Comparator, Decision, PredictedMeasure, Stage

GUARDED = [validate_no_personal_number]

# The fields each step of the cycle fills in, in order.
STEP_FIELDS = {
    Stage.PLAN: [
        "title",
        "starting_points",
        "change_idea",
        "aim",
        "prediction",
        "predicted_measure",
        "predicted_comparator",
        "predicted_value",
        "measures",
        "who_what_when",
        "schools",
        "people",
        "planned_cases",
        "starts_on",
        "ends_on",
    ],
    Stage.DO: ["what_happened", "deviations"],
    Stage.STUDY: ["study_results", "learning"],
    Stage.ACT: ["decision", "decision_reason", "next_steps", "decided_on"],
}
NEXT_STAGE = {Stage.PLAN: Stage.DO, Stage.DO: Stage.STUDY, Stage.STUDY: Stage.ACT}


class PracticalTestQuerySet(ServingQuerySet):
    pass


class PracticalTest(models.Model):
    """A practical test (praktiskt test): one PDSA cycle a site tries in reality, case by case."""

    site = models.ForeignKey(
        "pilots.PilotSite",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="practical_tests",
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows the cycle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_cycles",
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    stage = models.CharField(_("step"), max_length=8, choices=Stage.choices, default=Stage.PLAN)

    # Plan
    title = models.CharField(_("title"), max_length=200, validators=GUARDED)
    starting_points = StartingPointsField(
        _("starting points"),
        help_text=_("Which of the programme's four starting points the test serves."),
    )
    change_idea = models.TextField(
        _("change idea"),
        validators=GUARDED,
        help_text=_("What you will do differently, in a sentence or two."),
    )
    aim = models.TextField(
        _("aim"), validators=GUARDED, help_text=_("What the test should achieve for the children.")
    )
    prediction = models.TextField(
        _("prediction"),
        validators=GUARDED,
        help_text=_(
            "What you expect to happen, as concretely as you can (e.g. first intervention within 7 days)."
        ),
    )
    # The prediction in figures, beside its text: the test page sets the result against it.
    predicted_measure = models.CharField(
        _("predicted measure"),
        max_length=10,
        choices=PredictedMeasure.choices,
        blank=True,
        help_text=_("Optional: the prediction in figures, so the result can be set against it."),
    )
    predicted_comparator = models.CharField(
        _("comparison"), max_length=8, choices=Comparator.choices, blank=True
    )
    predicted_value = models.PositiveSmallIntegerField(
        _("predicted value"),
        null=True,
        blank=True,
        help_text=_("A number of the cases to take, or of days."),
    )
    measures = models.TextField(
        _("how we will know"),
        blank=True,
        validators=GUARDED,
        help_text=_("What you will look at to compare the result with the prediction."),
    )
    who_what_when = models.TextField(
        _("who does what, when"),
        blank=True,
        validators=GUARDED,
        help_text=_("Roles, not names of children: who takes the cases, who meets when."),
    )
    schools = models.ManyToManyField(
        "pilots.School", verbose_name=_("schools"), blank=True, related_name="practical_tests"
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people involved"),
        blank=True,
        related_name="practical_tests",
    )
    planned_cases = models.PositiveSmallIntegerField(
        _("cases to take"), default=5, help_text=_("How many cases the test will take.")
    )
    starts_on = models.DateField(_("starts"), default=timezone.localdate)
    ends_on = models.DateField(_("ends"), null=True, blank=True)

    # Do
    what_happened = models.TextField(_("what happened"), blank=True, validators=GUARDED)
    deviations = models.TextField(
        _("problems and surprises"),
        blank=True,
        validators=GUARDED,
        help_text=_("What did not go as planned, and what you noticed that you did not expect."),
    )
    # Study
    study_results = models.TextField(
        _("result against the prediction"),
        blank=True,
        validators=GUARDED,
        help_text=_("Compare with the prediction; the figures from the cases are shown beside."),
    )
    learning = models.TextField(_("what we learned"), blank=True, validators=GUARDED)
    # Act
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("why"), blank=True, validators=GUARDED)
    next_steps = models.TextField(
        _("next steps"),
        blank=True,
        validators=GUARDED,
        help_text=_("What changes for the next cycle, or how the practice is made permanent."),
    )
    decided_on = models.DateField(_("decided"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = site_scoped(PracticalTestQuerySet)

    class Meta:
        verbose_name = _("practical test")
        verbose_name_plural = _("practical tests")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="practical_test_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_cases__gte=1), name="practical_test_takes_a_case"
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.DONE) | ~Q(decision=""),
                name="practical_test_done_has_decision",
            ),
            models.CheckConstraint(condition=Q(cycle__gte=1), name="practical_test_cycle_positive"),
        ]

    def __str__(self):
        if self.cycle > 1:
            return _("%(title)s (cycle %(cycle)s)") % {"title": self.title, "cycle": self.cycle}
        return self.title

    def get_absolute_url(self):
        return reverse("cases:test_detail", kwargs={"site_slug": self.site.slug, "pk": self.pk})

    def clean(self):
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The test cannot end before it starts.")})
        parts = (self.predicted_measure, self.predicted_comparator, self.predicted_value)
        if any(p not in ("", None) for p in parts) and any(p in ("", None) for p in parts):
            raise ValidationError(
                {"predicted_value": _("Give the measure, the comparison and the value, or none.")}
            )
        if (
            self.predicted_measure
            and self.predicted_measure != PredictedMeasure.DAYS
            and self.predicted_value is not None
            and self.planned_cases
            and self.predicted_value > self.planned_cases
        ):
            raise ValidationError(
                {"predicted_value": _("At most the number of cases the test will take.")}
            )

    @property
    def is_done(self):
        return self.stage == Stage.DONE

    def steps(self):
        """The four PDSA steps with whether each is done, current or still ahead."""
        order = [Stage.PLAN, Stage.DO, Stage.STUDY, Stage.ACT]
        current = order.index(self.stage) if self.stage in order else len(order)
        return [
            {
                "stage": stage,
                "label": stage.label,
                "state": "done" if i < current else "current" if i == current else "ahead",
            }
            for i, stage in enumerate(order)
        ]

    def advance(self, to_stage):
        """Move on to a later step; a cycle never moves back (start a new cycle instead)."""
        order = list(Stage.values)
        if order.index(to_stage) > order.index(self.stage):
            self.stage = to_stage

    def chain(self):
        """Every cycle of this test's chain, first to last. Two queries however long the chain:
        the links between the site's tests (two numbers a test), then the other cycles."""
        links = dict(
            PracticalTest.objects.filter(site_id=self.site_id)
            .order_by("pk")
            .values_list("pk", "follows_id")
        )
        first, seen = self.pk, {self.pk}
        while (previous := links.get(first)) in links and previous not in seen:
            first = previous
            seen.add(first)
        next_cycles = defaultdict(list)
        for pk, follows in links.items():  # in order of pk, as cycles are started
            if follows:
                next_cycles[follows].append(pk)
        order, queue, seen = [], [first], set()
        while queue:
            pk = queue.pop(0)
            if pk not in seen:
                seen.add(pk)
                order.append(pk)
                queue.extend(next_cycles[pk])
        others = [pk for pk in order if pk != self.pk]
        tests = PracticalTest.objects.select_related("site").in_bulk(others) if others else {}
        tests[self.pk] = self
        return [tests[pk] for pk in order]
