"""The coordinators' queue of interest registrations: the list with its filters, a
registration with its notes and status, and accepting it as a new pilot site. The public form
is in interest_form.py, the list of every site in site_list.py."""

import django_tables2 as tables
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from .. import services
from ..forms.intake import (
    AcceptRegistrationForm,
    RegistrationFilter,
    RegistrationNoteForm,
    RegistrationStatusForm,
)
from ..models import InterestRegistration, PilotSite, RegistrationNote, RegistrationStatus
from ..scoping import CoordinatorRequiredMixin

TABLE_TEMPLATE = "pilots/tables/table.html"


class RegistrationTable(tables.Table):
    created_at = tables.DateColumn(
        verbose_name=pgettext_lazy("date of a registration", "Registered"), short=True
    )
    municipality_name = tables.Column(
        verbose_name=gettext_lazy("Municipality"),
        linkify=lambda record: reverse("pilots:registration_detail", kwargs={"pk": record.pk}),
    )
    region_name = tables.Column(verbose_name=gettext_lazy("Region"))
    scope = tables.Column(verbose_name=gettext_lazy("Covers"), orderable=False, empty_values=())
    contact_name = tables.Column(verbose_name=gettext_lazy("Contact"))
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    note_count = tables.Column(
        verbose_name=gettext_lazy("Notes"),
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )

    caption = gettext_lazy("Interest registrations, newest first")

    class Meta:
        model = InterestRegistration
        fields = []
        sequence = [
            "created_at",
            "municipality_name",
            "region_name",
            "scope",
            "contact_name",
            "status",
            "note_count",
        ]
        template_name = TABLE_TEMPLATE
        attrs = {"class": "table table-hover align-middle"}
        empty_text = gettext_lazy(
            "No registrations match. Clear the search or pick another status."
        )

    def render_scope(self, record):
        if record.scope == "municipality":
            return record.get_scope_display()
        count = len(record.school_names())
        return translation.ngettext("%(count)d school", "%(count)d schools", count) % {
            "count": count
        }

    def render_contact_name(self, record, value):
        return format_html(
            "{}<br><span class='small text-body-secondary'>{}</span>",
            value,
            record.contact_organisation,
        )

    def render_status(self, record):
        return format_html(
            "<span class='badge {}'>{}</span>",
            STATUS_BADGES[record.status],
            record.get_status_display(),
        )


STATUS_BADGES = {
    RegistrationStatus.NEW: "text-bg-primary",
    RegistrationStatus.IN_DIALOGUE: "text-bg-info",
    RegistrationStatus.ACCEPTED: "text-bg-success",
    RegistrationStatus.DECLINED: "text-bg-secondary",
}


class RegistrationListView(CoordinatorRequiredMixin, SingleTableMixin, FilterView):
    """The coordinators' queue: newest first, by status, with a count per status."""

    model = InterestRegistration
    table_class = RegistrationTable
    filterset_class = RegistrationFilter
    template_name = "pilots/intake/registration_list.html"
    paginate_by = 25

    def chosen_status(self):
        status = self.request.GET.get("status", "open")
        return status if status in ("open", "all", *RegistrationStatus.values) else "open"

    def get_queryset(self):
        queryset = InterestRegistration.objects.annotate(note_count=Count("notes")).order_by(
            "-created_at", "-pk"
        )
        status = self.chosen_status()
        if status == "open":
            return queryset.filter(
                status__in=[RegistrationStatus.NEW, RegistrationStatus.IN_DIALOGUE]
            )
        if status != "all":
            return queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        counts = dict(InterestRegistration.objects.values_list("status").annotate(n=Count("pk")))
        open_count = counts.get(RegistrationStatus.NEW, 0) + counts.get(
            RegistrationStatus.IN_DIALOGUE, 0
        )
        tabs = [("open", _("Open"), open_count)]
        tabs += [
            (value, label, counts.get(value, 0)) for value, label in RegistrationStatus.choices
        ]
        tabs.append(("all", _("All"), sum(counts.values())))
        return super().get_context_data(
            tabs=tabs, status=self.chosen_status(), search=self.request.GET.get("q", ""), **kwargs
        )


def _registration(pk):
    return get_object_or_404(
        InterestRegistration.objects.select_related("site", "decided_by").prefetch_related(
            Prefetch(
                "notes",
                queryset=RegistrationNote.objects.select_related("author"),
            )
        ),
        pk=pk,
    )


class RegistrationDetailView(CoordinatorRequiredMixin, TemplateView):
    """One registration: what the applicant wrote, the dialogue notes, status and decision."""

    template_name = "pilots/intake/registration_detail.html"

    def get_context_data(self, note_form=None, status_form=None, **kwargs):
        registration = _registration(self.kwargs["pk"])
        others = InterestRegistration.objects.filter(
            municipality_name__iexact=registration.municipality_name
        ).exclude(pk=registration.pk)
        existing_sites = PilotSite.objects.filter(
            municipality__name__iexact=registration.municipality_name
        ).exclude(pk=registration.site_id or 0)
        return super().get_context_data(
            registration=registration,
            notes=registration.notes.all(),
            note_form=note_form or RegistrationNoteForm(),
            status_form=status_form or RegistrationStatusForm(registration=registration),
            other_registrations=others,
            existing_sites=existing_sites,
            badge=STATUS_BADGES[registration.status],
            **kwargs,
        )


class RegistrationNoteView(RegistrationDetailView):
    """Add a note from the dialogue."""

    def get(self, request, *args, **kwargs):
        return redirect("pilots:registration_detail", pk=kwargs["pk"])

    def post(self, request, *args, **kwargs):
        registration = _registration(kwargs["pk"])
        form = RegistrationNoteForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(note_form=form))
        form.instance.registration = registration
        form.instance.author = request.user
        form.save()
        messages.success(request, _("The note is saved."))
        return redirect(
            reverse("pilots:registration_detail", kwargs={"pk": registration.pk}) + "#notes"
        )


class RegistrationStatusView(RegistrationDetailView):
    """Put a registration in dialogue, decline it, or reopen a declined one."""

    def get(self, request, *args, **kwargs):
        return redirect("pilots:registration_detail", pk=kwargs["pk"])

    def post(self, request, *args, **kwargs):
        registration = _registration(kwargs["pk"])
        form = RegistrationStatusForm(request.POST, registration=registration)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(status_form=form))
        services.set_registration_status(
            registration,
            form.cleaned_data["status"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("The registration from %(municipality)s is now: %(status)s.")
            % {
                "municipality": registration.municipality_name,
                "status": RegistrationStatus(form.cleaned_data["status"]).label.lower(),
            },
        )
        return redirect("pilots:registration_detail", pk=registration.pk)


class RegistrationAcceptView(CoordinatorRequiredMixin, TemplateView):
    """Confirm the new site's name, address and prefix; then create it and invite the lead."""

    template_name = "pilots/intake/registration_accept.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_coordinator:
            return super().dispatch(request, *args, **kwargs)
        self.registration = _registration(kwargs["pk"])
        if self.registration.site_id:
            messages.info(request, _("This registration is already accepted."))
            return redirect(self.registration.site.get_absolute_url())
        if not self.registration.is_open:
            messages.info(request, _("Reopen the registration before you accept it."))
            return redirect("pilots:registration_detail", pk=self.registration.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        name = self.registration.municipality_name
        form = form or AcceptRegistrationForm(
            initial={
                "name": name,
                "slug": services.suggest_slug(name),
                "case_code_prefix": services.suggest_case_code_prefix(name),
            }
        )
        return super().get_context_data(registration=self.registration, form=form, **kwargs)

    def post(self, request, *args, **kwargs):
        form = AcceptRegistrationForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        site = services.accept_registration(
            self.registration,
            by=request.user,
            name=form.cleaned_data["name"],
            slug=form.cleaned_data["slug"],
            case_code_prefix=form.cleaned_data["case_code_prefix"],
        )
        messages.success(
            request,
            _(
                "%(site)s is a pilot site now, in its pre-study. %(email)s has been invited as "
                "project lead."
            )
            % {"site": site.name, "email": self.registration.contact_email},
        )
        return redirect(site.get_absolute_url())
