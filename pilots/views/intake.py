"""How a municipality comes in: the public interest registration and its follow page, the
coordinators' queue of registrations, and the coordinators' list of sites."""

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_ratelimit.decorators import ratelimit
from django_tables2.views import SingleTableMixin

from infra.errors import rate_limited

from .. import services
from ..forms.intake import (
    AcceptRegistrationForm,
    InterestRegistrationForm,
    RegistrationFilter,
    RegistrationNoteForm,
    RegistrationStatusForm,
    SiteCreateForm,
)
from ..models import (
    InterestRegistration,
    Membership,
    Phase,
    PilotSite,
    RegistrationNote,
    RegistrationStatus,
    Role,
)
from ..scoping import CoordinatorRequiredMixin

# Sending the public form: enough for a few people behind one municipal network address,
# too few for a flood.
REGISTRATION_RATE = "10/h"
SENT_SESSION_KEY = "registration_sent_to"
TABLE_TEMPLATE = "pilots/tables/table.html"


# --- The public side ---------------------------------------------------------------------------


@login_not_required
@ratelimit(key="ip", rate=REGISTRATION_RATE, method="POST", block=False)
def registration_create(request):
    """The public interest registration (intresseanmälan) for the pre-study."""
    if getattr(request, "limited", False):
        return rate_limited(request)
    form = InterestRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A bot that filled the hidden field is thanked like anyone else, and nothing is kept.
        if not form.is_spam:
            services.register_interest(form.save(commit=False), language=translation.get_language())
        request.session[SENT_SESSION_KEY] = form.cleaned_data["contact_email"]
        return redirect("pilots:registration_sent")
    return render(request, "pilots/intake/registration_form.html", {"form": form})


@login_not_required
@require_safe
def registration_sent(request):
    """Thanks, and where the confirmation went."""
    return render(
        request,
        "pilots/intake/registration_sent.html",
        {"email": request.session.get(SENT_SESSION_KEY)},
    )


@login_not_required
@require_safe
def registration_follow(request, token):
    """The applicant's own view of their registration, from the link in the confirmation."""
    registration = services.registration_for_token(token)
    if registration is None:
        return render(request, "pilots/intake/registration_follow_unknown.html", status=404)
    return render(
        request,
        "pilots/intake/registration_follow.html",
        {
            "registration": registration,
            "steps": _follow_steps(registration),
        },
    )


def _follow_steps(registration):
    """The registration's way through the queue, as the applicant sees it."""
    status = registration.status
    steps = [
        {"label": _("Registration received"), "done": True, "date": registration.created_at},
        {
            "label": _("Dialogue with the programme"),
            "done": status != RegistrationStatus.NEW,
            "current": status == RegistrationStatus.IN_DIALOGUE,
        },
    ]
    if status == RegistrationStatus.DECLINED:
        steps.append(
            {
                "label": pgettext("registration status", "Declined"),
                "done": True,
                "date": registration.decided_at,
                "end": True,
            }
        )
    else:
        steps.append(
            {
                "label": _("Accepted as a pilot site"),
                "done": status == RegistrationStatus.ACCEPTED,
                "date": registration.decided_at,
            }
        )
    return steps


# --- The coordinators' queue -------------------------------------------------------------------


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


# --- The coordinators' list of sites -----------------------------------------------------------


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
