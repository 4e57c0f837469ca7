"""Filters of the national dashboard (django-filter): phase, region, and what needs attention.
The table sorts itself (dashboards/views/national.py): a hidden figure must not sort by its
value."""

import django_filters
from django.utils.translation import gettext_lazy as _

from pilots.models import Organisation, OrganisationKind, Phase

from .models import SiteSummary


class SummaryFilter(django_filters.FilterSet):
    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=Phase.choices, empty_label=_("All phases")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.REGION).order_by("name"),
        empty_label=_("All regions"),
    )
    attention = django_filters.ChoiceFilter(
        label=_("Needs attention"),
        choices=[("yes", _("Only sites that need attention"))],
        empty_label=_("All sites"),
        method="filter_attention",
    )

    class Meta:
        model = SiteSummary
        fields = ["phase", "region", "attention"]

    def filter_attention(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(attention__gt=0)
        return queryset
