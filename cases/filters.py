"""Filters of the practical-test and case lists (django-filter), narrowed to the site."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import (
    Case,
    Closure,
    Concern,
    Decision,
    PracticalTest,
    RaisedBy,
    SchoolYear,
    Stage,
    StartingPoint,
)


class SiteFilterSet(django_filters.FilterSet):
    def __init__(self, *args, site, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)
        if "school" in self.filters:
            # "site" too: the related manager sets it on every row it reads.
            self.filters["school"].queryset = site.schools.only("pk", "site", "name")


class PracticalTestFilter(SiteFilterSet):
    stage = django_filters.ChoiceFilter(label=_("Step"), choices=Stage.choices)
    starting_point = django_filters.ChoiceFilter(
        label=_("Starting point"), choices=StartingPoint.choices, method="filter_starting_point"
    )
    school = django_filters.ModelChoiceFilter(
        label=_("School"), field_name="schools", queryset=None
    )
    decision = django_filters.ChoiceFilter(label=_("Decision"), choices=Decision.choices)

    class Meta:
        model = PracticalTest
        fields = ["stage", "starting_point", "school", "decision"]

    def filter_starting_point(self, queryset, name, value):
        return queryset.serving(value)


class CaseFilter(SiteFilterSet):
    STATUS = [("open", pgettext_lazy("case status", "Open")), ("closed", _("Closed"))]

    code = django_filters.CharFilter(label=_("Case code"), lookup_expr="icontains")
    practical_test = django_filters.ModelChoiceFilter(
        label=_("Practical test"), queryset=None, null_label=_("First-line cases outside a test")
    )
    school = django_filters.ModelChoiceFilter(label=_("School"), queryset=None)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS, method="filter_status")
    # "My open cases" from the home page: the cases the person logged.
    mine = django_filters.ChoiceFilter(
        label=_("Logged by"), choices=[("me", _("me"))], method="filter_mine"
    )
    closure = django_filters.ChoiceFilter(label=_("Closed as"), choices=Closure.choices)
    raised_by = django_filters.ChoiceFilter(label=_("Raised by"), choices=RaisedBy.choices)
    concern = django_filters.ChoiceFilter(
        label=_("Concern"), choices=Concern.choices, method="filter_concern"
    )
    school_year = django_filters.ChoiceFilter(label=_("School year"), choices=SchoolYear.choices)
    first_contact = django_filters.DateFromToRangeFilter(
        label=_("First contact (from – to)"),
        field_name="first_contact_on",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Case
        fields = [
            "code",
            "practical_test",
            "school",
            "status",
            "mine",
            "closure",
            "raised_by",
            "concern",
            "school_year",
            "first_contact",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what an option shows (str() of a test): the plans' long texts stay in the table.
        self.filters["practical_test"].queryset = self.site.practical_tests.only(
            "pk", "site", "title", "cycle"
        )

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == "open" else queryset.closed()

    def filter_concern(self, queryset, name, value):
        return queryset.about(value)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(created_by=user) if user and user.is_authenticated else queryset


RANGE_ENDS = (pgettext_lazy("range start", "From"), pgettext_lazy("range end", "To"))


def compact(form):
    """Small controls for a filter bar (cases/includes/filter_bar.html). A single select gets
    its options as (value, label, selected) in `options`, read once from its choices: the
    widget's own option rendering builds a dictionary and attributes for each of them. A range
    is a group of two inputs (`is_range`): the field's label names the group, each input is
    labelled "from" or "to"."""
    for name, field in form.fields.items():
        widgets = getattr(field.widget, "widgets", [field.widget])  # a range has two inputs
        for widget in widgets:
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif isinstance(widget, forms.widgets.Input):
                widget.attrs.setdefault("class", "form-control form-control-sm")
        if isinstance(field.widget, django_filters.widgets.RangeWidget):
            for widget, end in zip(field.widget.widgets, RANGE_ENDS, strict=True):
                widget.attrs["aria-label"] = end
            form[name].is_range = True
        if isinstance(field.widget, forms.Select) and not field.widget.allow_multiple_selected:
            bound = form[name]  # the form keeps its bound fields: the template meets this one
            selected = "" if bound.value() is None else str(bound.value())
            bound.options = []
            for value, label in field.choices:  # a model's choices: one query
                value = "" if value is None else str(value)
                bound.options.append((value, label, value == selected))
    return form
