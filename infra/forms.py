"""Form fields shared by every app: a multiple choice that refuses an id too large for the
database, a date-time field within sensible years, and a select whose empty choice says what
it means."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityStatement


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but an id too large for the database is an invalid choice rather than a server
    error: SQLite raises OverflowError when such a number reaches an `__in` lookup."""

    def clean(self, value):
        try:
            return super().clean(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": max(value, key=len)},
            ) from None


class DateTimeField(forms.DateTimeField):
    """Django's, limited to years a programme can mean. Year 1 or 9999 parses, but turning it
    into UTC for the database overflows (a server error) and no workshop is held then."""

    FIRST_YEAR, LAST_YEAR = 1900, 2200

    def clean(self, value):
        moment = super().clean(value)
        if moment is not None and not self.FIRST_YEAR <= moment.year <= self.LAST_YEAR:
            raise ValidationError(
                _("Enter a date between the years %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": self.FIRST_YEAR, "last": self.LAST_YEAR},
            )
        return moment


DASHES = BLANK_CHOICE_DASH[0][1]  # Django's empty choice reads "---------"


class NamedBlankChoice:
    """A form mixin: a select's empty choice reads "— välj —" instead of Django's dashes,
    which say nothing to someone who has not met Django. Fields that name their own empty
    choice ("— nobody yet —") keep it."""

    blank_label = _("— choose —")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == DASHES:
                    field.empty_label = self.blank_label
            elif isinstance(field, forms.ChoiceField) and field.choices:
                first, *rest = field.choices
                if tuple(first) == BLANK_CHOICE_DASH[0]:
                    field.choices = [("", self.blank_label), *rest]


class AccessibilityStatementForm(forms.ModelForm):
    class Meta:
        model = AccessibilityStatement
        fields = [
            "actor",
            "service",
            "compliance",
            "not_accessible",
            "assessment",
            "assessed_on",
            "feedback",
        ]
        widgets = {
            "compliance": forms.RadioSelect,
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "not_accessible": forms.Textarea(attrs={"rows": 6}),
            "assessment": forms.Textarea(attrs={"rows": 4}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
        }
