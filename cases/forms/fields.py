"""What the app's forms share: a date input the browser fills, the site's schools as a choice,
radio buttons without a blank choice, the mixin that takes the request's site, and inline
formsets that refuse a stale page."""

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def site_schools(site, current=()):
    """The site's active schools, and any already chosen that has since left the work."""
    return site.schools.filter(Q(is_active=True) | Q(pk__in=[s.pk for s in current if s]))


def no_blank(field):
    """Radio buttons need no "---------" choice."""
    field.choices = [(value, label) for value, label in field.choices if value != ""]


class SiteFormMixin:
    """Takes the request's site and keeps every choice inside it."""

    def __init__(self, *args, site, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)


class CheckedInlineFormSet(BaseInlineFormSet):
    """Rows whose hidden fields (their id, their parent) come back altered — a stale or tampered
    page — fail with a message at the top: crispy does not show hidden fields' own errors."""

    def clean(self):
        super().clean()
        if any(
            form.has_error(name)
            for form in self.forms
            for name, field in form.fields.items()
            if field.widget.is_hidden
        ):
            raise forms.ValidationError(
                _("This page is out of date. Open it again and redo your changes.")
            )
