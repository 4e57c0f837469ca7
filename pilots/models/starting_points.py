"""The programme's four starting points (utgångspunkter) and the one field that says which of
them an activity serves: a practical test, a general intervention, a working-group action, a
library item. The choices, the check of what is stored, the form field, the words shown and the
query for "serves this starting point" live here once, so every kind of activity is set, shown
and counted the same way (dashboards/figures/starting_points.py counts them per site)."""

from functools import partialmethod

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class StartingPoint(models.TextChoices):
    """The programme's four starting points (utgångspunkter) that every activity serves."""

    PROMOTIVE = (
        "promotive",
        _("Strengthen promotive and preventive work in school and student health"),
    )
    EARLY = "early", _("Early and preventive interventions on the school's arena")
    SEEK_HELP = "seek_help", _("More chances for children and young people to seek help themselves")
    NOT_PSYCHIATRISE = (
        "not_psychiatrise",
        _("Counteract, in practice, that life problems are psychiatrised"),
    )


def validate_starting_points(value):
    """A list of starting points' values, each among the four."""
    if not isinstance(value, list) or set(value) - set(StartingPoint.values):
        raise ValidationError(
            _("Choose among the four starting points."), code="unknown_starting_point"
        )


def _display(instance, *, field):
    """The labels of the starting points served, in the programme's order."""
    chosen = getattr(instance, field.attname) or []
    return [sp.label for sp in StartingPoint if sp.value in chosen]


class StartingPointsField(models.JSONField):
    """Which of the four starting points something serves, stored as a list of their values.

    Checked on every save through a form (and full_clean), asked as checkboxes, shown with
    `get_<name>_display()`; queried with `serving()`. A required one (blank=False) needs at
    least one starting point."""

    default_validators = [validate_starting_points]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        display = f"get_{name}_display"
        if display not in cls.__dict__:
            setattr(cls, display, partialmethod(_display, field=self))

    def formfield(self, **kwargs):
        defaults = {
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
            "required": not self.blank,
            "choices": StartingPoint.choices,
            "widget": forms.CheckboxSelectMultiple,
            **kwargs,
        }
        defaults.pop("form_class", None)
        defaults.pop("encoder", None)
        defaults.pop("decoder", None)
        return forms.MultipleChoiceField(**defaults)


def serving(starting_point, field="starting_points") -> Q:
    """Rows whose starting points include this one (a JSON list: a quoted value in its text,
    which reads the same on SQLite and PostgreSQL)."""
    return Q(**{f"{field}__icontains": f'"{StartingPoint(starting_point).value}"'})


class ServingQuerySet(models.QuerySet):
    """A queryset of something that serves starting points (see StartingPointsField)."""

    def serving(self, starting_point):
        return self.filter(serving(starting_point))

    def count_serving(self, by):
        """{value of `by`: {starting point: how many rows serve it}}, in one grouped query."""
        rows = (
            self.order_by()
            .values(by)
            .annotate(**{sp: Count("pk", filter=serving(sp)) for sp in StartingPoint.values})
        )
        return {row[by]: {sp: row[sp] for sp in StartingPoint.values} for row in rows}
