"""Organisations: a project lead looks after the units of the site's municipality and region;
coordinators look after every organisation of the programme."""

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, TemplateView, UpdateView
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from infra.errors import Refusal

from ..forms.sites import ProgrammeOrganisationForm, SiteUnitForm
from ..models import Actor, Organisation, OrganisationKind, PilotSite
from ..scoping import CoordinatorRequiredMixin, SiteViewMixin
from .sites import FormPageMixin, SiteTable


class SiteOrganisationListView(SiteViewMixin, TemplateView):
    """The site's municipality and region with their units, grouped by actor."""

    template_name = "pilots/organisation_list.html"

    def get_context_data(self, **kwargs):
        site = self.site
        units = site.units().select_related("parent").with_site_count().order_by("name")
        in_triad = {site.school_actor_id, site.social_actor_id, site.health_actor_id}
        by_actor = [(actor.label, [u for u in units if u.actor == actor]) for actor in Actor]
        return super().get_context_data(
            by_actor=by_actor, in_triad=in_triad, has_units=bool(units), **kwargs
        )


class SiteUnitMixin(SiteViewMixin, FormPageMixin):
    permission = "can_manage"
    model = Organisation
    form_class = SiteUnitForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_success_url(self):
        return reverse("pilots:organisation_list", kwargs={"site_slug": self.site.slug})

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("%(name)s is saved.") % {"name": self.object.name})
        return response


class SiteUnitCreateView(SiteUnitMixin, CreateView):
    page_title = gettext_lazy("Add a unit")
    submit_label = gettext_lazy("Add the unit")

    def get_intro(self):
        return _(
            "A unit is a part of %(municipality)s or %(region)s that takes part in the work: "
            "an administration, a clinic, a student-health team."
        ) % {"municipality": self.site.municipality.name, "region": self.site.region.name}


class SiteUnitUpdateView(SiteUnitMixin, UpdateView):
    page_title = gettext_lazy("Edit the unit")
    submit_label = gettext_lazy("Save the unit")

    def get_object(self, queryset=None):
        # Only units within this site's municipality or region; anything else is not found.
        unit = get_object_or_404(self.site.units(), pk=self.kwargs["pk"])
        # A unit other sites use too (a region's clinic, say) is theirs as much as this
        # site's: the lead may see it, but only the national coordinators change it.
        if not self.request.user.is_coordinator and unit.is_shared():
            raise Refusal(
                _(
                    "Other pilot sites use %(name)s too, so a change would show at their sites "
                    "as well: only the national coordinators change it. Ask them if it needs "
                    "changing."
                )
                % {"name": unit.name}
            )
        return unit

    def get_intro(self):
        if self.object.sites_using().exclude(pk=self.site.pk).exists():
            return _("Other pilot sites use this unit too; a change shows there as well.")
        return ""


# --- The programme's organisations (coordinators) --------------------------------------------


class OrganisationFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        label=gettext_lazy("Name"),
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"),
        choices=OrganisationKind.choices,
        empty_label=gettext_lazy("All kinds"),
    )
    actor = django_filters.ChoiceFilter(
        label=gettext_lazy("Actor"), choices=Actor.choices, empty_label=gettext_lazy("All actors")
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "actor"]


class OrganisationTable(SiteTable):
    name = tables.Column(
        verbose_name=gettext_lazy("Name"),
        linkify=("pilots:programme_organisation_update", {"pk": tables.A("pk")}),
    )
    kind = tables.Column(verbose_name=gettext_lazy("Kind"))
    actor = tables.Column(verbose_name=gettext_lazy("Actor"), default="–")
    parent = tables.Column(
        verbose_name=gettext_lazy("Part of"), default="–", accessor="parent__name"
    )
    sites = tables.Column(
        verbose_name=gettext_lazy("Pilot sites"), empty_values=(), orderable=False
    )

    def __init__(self, *args, sites_by_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites_by_organisation = sites_by_organisation or {}

    def render_sites(self, record):
        return ", ".join(self.sites_by_organisation.get(record.pk, [])) or "–"

    class Meta(SiteTable.Meta):
        model = Organisation
        fields = ["name", "kind", "actor", "parent", "sites"]
        order_by = ["name"]
        empty_text = gettext_lazy("No organisation matches. Clear the filter, or add one.")


def sites_by_organisation():
    """{organisation pk: names of the sites it serves}: as municipality, region or triad actor.
    One query over the sites (the programme has tens of them, not thousands)."""
    roles = (
        "municipality_id",
        "region_id",
        "school_actor_id",
        "social_actor_id",
        "health_actor_id",
    )
    result = {}
    for row in PilotSite.objects.order_by("name").values("name", *roles):
        for role in roles:
            if row[role] and row["name"] not in result.get(row[role], []):
                result.setdefault(row[role], []).append(row["name"])
    return result


class ProgrammeOrganisationListView(CoordinatorRequiredMixin, SingleTableMixin, FilterView):
    """Every organisation in the programme: municipalities, regions and their units."""

    model = Organisation
    table_class = OrganisationTable
    filterset_class = OrganisationFilter
    template_name = "pilots/programme_organisation_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Organisation.objects.select_related("parent").order_by("name", "pk")

    def get_table_kwargs(self):
        return {
            "caption": _("Organisations in the programme"),
            "sites_by_organisation": sites_by_organisation(),
        }


class ProgrammeOrganisationMixin(CoordinatorRequiredMixin, FormPageMixin):
    model = Organisation
    form_class = ProgrammeOrganisationForm

    def get_success_url(self):
        return reverse("pilots:programme_organisation_list")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("%(name)s is saved.") % {"name": self.object.name})
        return response


class ProgrammeOrganisationCreateView(ProgrammeOrganisationMixin, CreateView):
    page_title = gettext_lazy("Add an organisation")
    submit_label = gettext_lazy("Add the organisation")
    intro = gettext_lazy(
        "A municipality or a region stands alone; a unit is part of one and belongs to one of "
        "the three actors."
    )


class ProgrammeOrganisationUpdateView(ProgrammeOrganisationMixin, UpdateView):
    page_title = gettext_lazy("Edit the organisation")
    submit_label = gettext_lazy("Save the organisation")
