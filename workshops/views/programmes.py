"""The programme as a timeline for everyone in it, and the coordinators' pages to run it:
programmes, workshops, deliverables, materials, attendance and the sites' progress."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView, View

from pilots.access import memberships_of, sites_of
from pilots.models import PilotSite, Role
from pilots.scoping import CoordinatorRequiredMixin, RestrictedObjectMixin

from .. import progress, services
from ..forms import DeliverableForm, MaterialForm, ProgrammeForm, WorkshopForm
from ..models import Deliverable, Material, Programme, Registration, Workshop


def _workshop_rows(user, workshops, sites):
    """For the timeline and a workshop's page: each workshop with the person's registration
    and, for each of their sites, where it stands on the workshop's deliverables."""
    workshops = list(workshops)
    mine = {
        r.workshop_id: r
        for r in Registration.objects.active()
        .filter(user=user, workshop__in=workshops)
        .select_related("site")
    }
    deliverables = [d for w in workshops for d in w.deliverables.all()]
    states = {site: progress.site_states(site, deliverables) for site in sites}
    now = timezone.now()
    upcoming = [w for w in workshops if w.ends_at >= now]
    next_workshop = upcoming[0] if upcoming else None
    rows = []
    for w in workshops:
        rows.append(
            {
                "workshop": w,
                "registration": mine.get(w.pk),
                "is_next": w == next_workshop,
                "sites": [
                    (site, [s for s in site_states if s.deliverable.workshop_id == w.pk])
                    for site, site_states in states.items()
                ],
            }
        )
    owed = [(site, [s for s in site_states if s.owed]) for site, site_states in states.items()]
    return rows, next_workshop, [(site, items) for site, items in owed if items]


class ProgrammeIndexView(TemplateView):
    """The programmes a person takes part in (coordinators: all of them)."""

    template_name = "workshops/programme_index.html"

    def get(self, request, *args, **kwargs):
        programmes = list(Programme.objects.restrict(request.user))
        if len(programmes) == 1 and not request.user.is_coordinator:
            return redirect(programmes[0])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        now = timezone.now()
        workshops = Workshop.objects.restrict(user).order_by("starts_at")
        programmes = (
            Programme.objects.restrict(user)
            .prefetch_related(
                Prefetch("workshops", queryset=workshops, to_attr="visible_workshops")
            )
            .annotate(site_count=Count("sites", distinct=True))
        )
        cards = []
        for p in programmes:
            coming = [w for w in p.visible_workshops if w.ends_at >= now]
            cards.append({"programme": p, "next": coming[0] if coming else None})
        return super().get_context_data(cards=cards, **kwargs)


class ProgrammeDetailView(RestrictedObjectMixin, DetailView):
    """The programme's timeline: what is coming next and what the person's sites still owe."""

    model = Programme
    template_name = "workshops/programme_detail.html"
    context_object_name = "programme"

    def get_context_data(self, **kwargs):
        user = self.request.user
        programme = self.object
        workshops = (
            Workshop.objects.restrict(user)
            .filter(programme=programme)
            .prefetch_related(
                Prefetch(
                    "deliverables",
                    queryset=Deliverable.objects.restrict(user).order_by("due_at"),
                ),
                "materials",
            )
            .order_by("starts_at")
        )
        sites = list(programme.sites.filter(pk__in=sites_of(user)).order_by("name"))
        rows, next_workshop, owed = _workshop_rows(user, workshops, sites)
        return super().get_context_data(
            rows=rows, next_workshop=next_workshop, owed=owed, programme_sites=sites, **kwargs
        )


class ProgrammeCreateView(CoordinatorRequiredMixin, CreateView):
    model = Programme
    form_class = ProgrammeForm
    template_name = "workshops/form.html"
    extra_context = {"heading": _("New programme")}

    def form_valid(self, form):
        messages.success(self.request, _("The programme is created. Now add its workshops."))
        return super().form_valid(form)


class ProgrammeUpdateView(CoordinatorRequiredMixin, RestrictedObjectMixin, UpdateView):
    model = Programme
    form_class = ProgrammeForm
    template_name = "workshops/form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Edit %(name)s") % {"name": self.object}, back=self.object, **kwargs
        )

    def form_valid(self, form):
        messages.success(self.request, _("The programme is saved."))
        return super().form_valid(form)


class ProgrammeProgressView(CoordinatorRequiredMixin, RestrictedObjectMixin, DetailView):
    """Every site × every deliverable, registrations per workshop, and what awaits review."""

    model = Programme
    template_name = "workshops/programme_progress.html"
    context_object_name = "programme"

    def get_context_data(self, **kwargs):
        grid = progress.programme_grid(self.object)
        awaiting = [
            (row["site"], state)
            for row in grid["rows"]
            for state in row["states"]
            if state.key == "submitted"
        ]
        return super().get_context_data(grid=grid, awaiting=awaiting, **kwargs)


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
        rows, _next, _owed = _workshop_rows(user, [workshop], sites)
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


class DeliverableCreateView(CoordinatorRequiredMixin, CreateView):
    model = Deliverable
    form_class = DeliverableForm
    template_name = "workshops/form.html"

    @cached_property
    def workshop(self):
        return get_object_or_404(
            Workshop.objects.restrict(self.request.user).select_related("programme"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "workshop": self.workshop}

    def get_initial(self):
        # A week before the workshop, at the end of the working day.
        due = timezone.localtime(self.workshop.starts_at) - timezone.timedelta(days=7)
        return {"due_at": due.replace(hour=17, minute=0, second=0, microsecond=0)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("New deliverable before %(title)s") % {"title": self.workshop},
            back=self.workshop,
            **kwargs,
        )

    def get_success_url(self):
        messages.success(self.request, _("The deliverable is saved."))
        return self.workshop.get_absolute_url()


class DeliverableUpdateView(CoordinatorRequiredMixin, RestrictedObjectMixin, UpdateView):
    model = Deliverable
    form_class = DeliverableForm
    template_name = "workshops/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "workshop": self.object.workshop}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Edit deliverable %(title)s") % {"title": self.object},
            back=self.object.workshop,
            **kwargs,
        )

    def get_success_url(self):
        messages.success(self.request, _("The deliverable is saved."))
        return self.object.workshop.get_absolute_url()


class MaterialCreateView(CoordinatorRequiredMixin, CreateView):
    model = Material
    form_class = MaterialForm
    template_name = "workshops/form.html"

    @cached_property
    def workshop(self):
        return get_object_or_404(Workshop.objects.restrict(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Add material to %(title)s") % {"title": self.workshop},
            back=self.workshop,
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        form.instance.workshop = self.workshop
        form.instance.uploaded_by = self.request.user
        form.instance.original_name = upload.name[-255:]
        form.instance.size = upload.size
        form.save()
        messages.success(self.request, _("The material is uploaded."))
        return redirect(self.workshop)


class MaterialDownloadView(View):
    """A workshop's material, for the people invited to it and for coordinators."""

    def get(self, request, pk):
        material = get_object_or_404(Material.objects.restrict(request.user), pk=pk)
        try:
            handle = material.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=material.original_name)


class MaterialDeleteView(CoordinatorRequiredMixin, TemplateView):
    template_name = "workshops/confirm.html"

    @cached_property
    def material(self):
        return get_object_or_404(
            Material.objects.restrict(self.request.user).select_related("workshop"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        material = self.material
        return super().get_context_data(
            heading=_("Remove material"),
            question=_(
                "Remove “%(title)s” from the workshop? Participants can no longer download it."
            )
            % {"title": material.title},
            button=_("Remove material"),
            button_class="btn-danger",
            back=material.workshop,
            **kwargs,
        )

    def post(self, request, pk):
        material = self.material
        workshop = material.workshop
        material.file.delete(save=False)
        material.delete()
        messages.success(request, _("The material is removed."))
        return redirect(workshop)


class AttendanceView(CoordinatorRequiredMixin, TemplateView):
    """On the day: tick who came. Shows attendance per site and per actor."""

    template_name = "workshops/attendance.html"

    @cached_property
    def workshop(self):
        return get_object_or_404(
            Workshop.objects.restrict(self.request.user).select_related("programme"),
            pk=self.kwargs["pk"],
        )

    def may_take(self):
        return timezone.localdate() >= self.workshop.date

    def post(self, request, pk):
        if not self.may_take():
            messages.error(request, _("Attendance can be taken from the day of the workshop."))
            return redirect("workshops:workshop_attendance", pk=pk)
        ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
        count = services.take_attendance(self.workshop, ids, by=request.user)
        messages.success(request, _("Attendance is saved: %(count)s present.") % {"count": count})
        return redirect("workshops:workshop_attendance", pk=pk)

    def get_context_data(self, **kwargs):
        attendance = self.workshop.attendance()
        return super().get_context_data(
            workshop=self.workshop,
            by_site=attendance.by_site,
            by_actor=attendance.by_actor,
            total=attendance.total,
            attended=attendance.attended,
            taken=attendance.taken,
            may_take=self.may_take(),
            **kwargs,
        )
