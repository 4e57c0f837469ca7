"""Form fields shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


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
