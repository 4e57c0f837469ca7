"""The coordinators' list of every pilot site, with its numbers, and the form for a site that
did not come through an interest registration."""

import django_tables2 as tables
from django.contrib import messages
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_tables2.views import SingleTableMixin

from .. import services
from ..forms.intake import SiteCreateForm
from ..models import Membership, Phase, PilotSite, Role
from ..scoping import CoordinatorRequiredMixin

TABLE_TEMPLATE = "pilots/tables/table.html"


class SiteTable(tables.Table):
    name = tables.Column(verbose_name=gettext_lazy("Site"), linkify=True)
    region = tables.Column(verbose_name=gettext_lazy("Region"), accessor="region__name")
    phase = tables.Column(verbose_name=gettext_lazy("Phase"))
    lead_names = tables.Column(
        verbose_name=gettext_lazy("Project lead"), orderable=False, empty_values=()
    )
    school_count = tables.Column(
        verbose_name=gettext_lazy("Schools"),
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    member_count = tables.Column(
        verbose_name=gettext_lazy("People"),
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    pending_invitations = tables.Column(
        verbose_name=gettext_lazy("Invitations waiting"),
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    created_at = tables.DateColumn(verbose_name=gettext_lazy("Created"), short=True)

    caption = gettext_lazy("Every pilot site of the programme")

    class Meta:
        model = PilotSite
        fields = []
        sequence = [
            "name",
            "region",
            "phase",
            "lead_names",
            "school_count",
            "member_count",
            "pending_invitations",
            "created_at",
        ]
        template_name = TABLE_TEMPLATE
        attrs = {"class": "table table-hover align-middle"}
        order_by = "name"
        empty_text = gettext_lazy(
            "No pilot sites yet. Accept an interest registration, or create a site below."
        )

    def render_phase(self, record):
        return format_html(
            "<span class='badge text-bg-secondary'>{}</span>", record.get_phase_display()
        )

    def render_lead_names(self, record):
        names = [str(m.user) for m in record.current_leads]
        if names:
            return ", ".join(names)
        return format_html("<span class='text-body-secondary'>{}</span>", _("none yet"))

    def order_phase(self, queryset, is_descending):
        # In the programme's order, not the alphabet's.
        order = Case(
            *[When(phase=value, then=Value(i)) for i, value in enumerate(Phase.values)],
            output_field=IntegerField(),
        )
        return queryset.annotate(phase_order=order).order_by(
            ("-" if is_descending else "") + "phase_order", "name"
        ), True


def sites_overview():
    """Every site with the numbers the coordinators' list shows, in a fixed number of queries."""
    now, today = timezone.now(), timezone.localdate()
    active = Membership.objects.active()
    return (
        PilotSite.objects.select_related("region", "municipality")
        .annotate(
            school_count=Count("schools", filter=Q(schools__is_active=True), distinct=True),
            member_count=Count(
                "memberships__user",
                filter=Q(memberships__starts_on__lte=today)
                & (Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)),
                distinct=True,
            ),
            pending_invitations=Count(
                "invitations",
                filter=Q(
                    invitations__accepted_at__isnull=True,
                    invitations__revoked_at__isnull=True,
                    invitations__expires_at__gt=now,
                ),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=active.filter(role=Role.LEAD).select_related("user"),
                to_attr="current_leads",
            )
        )
    )


class SiteListView(CoordinatorRequiredMixin, SingleTableMixin, TemplateView):
    """Every pilot site, and a form for a site that did not come through a registration."""

    table_class = SiteTable
    template_name = "pilots/intake/site_list.html"
    table_pagination = {"per_page": 50}

    def get_table_data(self):
        return sites_overview()

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(form=form or SiteCreateForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = SiteCreateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        site = services.create_site(
            name=data["name"],
            municipality_name=data["municipality"],
            region_name=data["region"],
            slug=data["slug"],
            case_code_prefix=data["case_code_prefix"],
            by=request.user,
        )
        messages.success(
            request,
            _("%(site)s is created, in its pre-study. Invite its project lead next.")
            % {"site": site.name},
        )
        url = reverse("accounts:invitation_create", kwargs={"site_slug": site.slug})
        return redirect(f"{url}?role={Role.LEAD}")
