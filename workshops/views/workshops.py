"""A workshop's own pages: its page for everyone invited, creating and changing it, and taking
attendance (coordinators)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, TemplateView, UpdateView

from infra.kept import KeptBodyMixin
from pilots.access import memberships_of, sites_of
from pilots.models import PilotSite, Role
from pilots.scoping import CoordinatorRequiredMixin, RestrictedObjectMixin

from .. import progress, services
from ..forms import WorkshopForm
from ..models import Deliverable, Programme, Registration, Workshop


class WorkshopCreateView(CoordinatorRequiredMixin, CreateView):
    model = Workshop
    form_class = WorkshopForm
    template_name = "workshops/form.html"

    @cached_property
    def programme(self):
        return get_object_or_404(
            Programme.objects.restrict(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.programme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("New workshop in %(name)s") % {"name": self.programme},
            back=self.programme,
            **kwargs,
        )

    def form_valid(self, form):
        messages.success(self.request, _("The workshop is saved."))
        return super().form_valid(form)


class WorkshopUpdateView(CoordinatorRequiredMixin, RestrictedObjectMixin, UpdateView):
    model = Workshop
    form_class = WorkshopForm
    template_name = "workshops/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.object.programme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Edit workshop %(title)s") % {"title": self.object},
            back=self.object,
            **kwargs,
        )

    def form_valid(self, form):
        messages.success(self.request, _("The workshop is saved."))
        return super().form_valid(form)


class WorkshopDetailView(TemplateView):
    """A workshop: when and where, agenda, materials, what the sites must bring, and the
    person's registration."""

    template_name = "workshops/workshop_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        workshop = get_object_or_404(
            Workshop.objects.restrict(user)
            .select_related("programme")
            .prefetch_related(
                Prefetch(
                    "deliverables",
                    queryset=Deliverable.objects.restrict(user).order_by("due_at"),
                ),
                "materials",
            ),
            pk=self.kwargs["pk"],
        )
        sites = list(workshop.programme.sites.filter(pk__in=sites_of(user)).order_by("name"))
        rows, _next, _owed = progress.workshop_rows(user, [workshop], sites)
        row = rows[0]
        invited_sites = list(workshop.invitation_sites(user))
        led = set(
            memberships_of(user)
            .filter(role=Role.LEAD, site__in=sites)
            .values_list("site_id", flat=True)
        )
        lead_sites = [site for site in sites if site.pk in led]
        context = {
            "workshop": workshop,
            "row": row,
            "lead_sites": lead_sites,
            "invited_sites": invited_sites,
            "may_download": user.is_coordinator or bool(invited_sites),
            "registration_open": workshop.registration_is_open(),
            "can_cancel": row["registration"] is not None
            and services.can_cancel(row["registration"], user),
        }
        if user.is_coordinator:
            context["by_site"] = (
                PilotSite.objects.filter(programmes=workshop.programme)
                .annotate(
                    registered=Count(
                        "workshop_registrations",
                        filter=Q(
                            workshop_registrations__workshop=workshop,
                            workshop_registrations__cancelled_at__isnull=True,
                        ),
                    )
                )
                .order_by("name")
            )
        return super().get_context_data(**context, **kwargs)


class AttendanceView(CoordinatorRequiredMixin, KeptBodyMixin, TemplateView):
    """On the day: tick who came. Shows attendance per site and per actor; drawn once and
    kept until the programme's data changes or the day does (infra/kept.py)."""

    template_name = "workshops/attendance.html"
    body_template = "workshops/includes/attendance_body.html"
    sites_per_page = 20

    @cached_property
    def workshop(self):
        return get_object_or_404(
            Workshop.objects.restrict(self.request.user).select_related("programme"),
            pk=self.kwargs["pk"],
        )

    def may_take(self):
        return timezone.localdate() >= self.workshop.date

    def post(self, request, pk):
        back = reverse("workshops:workshop_attendance", kwargs={"pk": pk})
        page = request.GET.get("page", "")
        if page.isdigit():
            back += f"?page={page}"
        if not self.may_take():
            messages.error(request, _("Attendance can be taken from the day of the workshop."))
            return redirect(back)
        ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
        # The page's form names the registrations it showed; the others keep what they had.
        shown = None
        if "shown" in request.POST:
            shown = [int(v) for v in request.POST.getlist("shown") if v.isdigit()]
        count = services.take_attendance(self.workshop, ids, by=request.user, among=shown)
        messages.success(request, _("Attendance is saved: %(count)s present.") % {"count": count})
        return redirect(back)

    def get_context_data(self, **kwargs):
        return super().get_context_data(workshop=self.workshop, **kwargs)

    def body_context(self):
        # A page of sites at a time: a national workshop has hundreds of people to tick.
        registered = Registration.objects.active().filter(workshop=self.workshop)
        sites = PilotSite.objects.filter(pk__in=registered.values("site")).order_by("name", "pk")
        page = Paginator(sites, self.sites_per_page).get_page(self.request.GET.get("page"))
        attendance = self.workshop.attendance(sites=list(page.object_list))
        return {
            "page_obj": page,
            "by_site": attendance.by_site,
            "by_actor": attendance.by_actor,
            "total": attendance.total,
            "attended": attendance.attended,
            "taken": attendance.taken,
            "may_take": self.may_take(),
        }
