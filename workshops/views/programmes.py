"""The programme as a timeline for everyone in it, and the coordinators' pages to run it:
programmes and the sites' progress. A workshop's own pages are in workshops.py, its
deliverables in deliverables.py, its materials in materials.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView

from infra.kept import KeptBodyMixin
from pilots.access import sites_of
from pilots.scoping import CoordinatorRequiredMixin, RestrictedObjectMixin

from .. import progress
from ..forms import ProgrammeForm
from ..models import Deliverable, Programme, Workshop


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
        rows, next_workshop, owed = progress.workshop_rows(user, workshops, sites)
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


class ProgrammeProgressView(
    CoordinatorRequiredMixin, RestrictedObjectMixin, KeptBodyMixin, DetailView
):
    """Every site × every deliverable, registrations per workshop, and what awaits review;
    drawn once and kept until the programme's data changes or the day does (infra/kept.py)."""

    model = Programme
    template_name = "workshops/programme_progress.html"
    body_template = "workshops/includes/programme_progress_body.html"
    context_object_name = "programme"
    sites_per_page = 40
    awaiting_shown = 30

    def body_context(self):
        # A page of sites at a time: 290 sites × every deliverable is more than a person reads
        # at once, and drawing it all took seventeen times the plainest page (make bench).
        sites = self.object.sites.select_related("municipality").order_by("name")
        page = Paginator(sites, self.sites_per_page).get_page(self.request.GET.get("page"))
        awaiting = progress.awaiting_review(self.object)
        return {
            "grid": progress.programme_grid(self.object, page.object_list),
            "page_obj": page,
            "awaiting": awaiting[: self.awaiting_shown],
            "awaiting_count": awaiting.count(),
        }
