"""General interventions (PALS, YAM and others a coordinator adds): per site and school, the
groups reached, the sessions held and the programme's fidelity checklist."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, TemplateView, UpdateView

from pilots.scoping import CoordinatorRequiredMixin, SiteViewMixin

from ..forms import (
    FidelityForm,
    FidelityItemFormSet,
    InterventionForm,
    InterventionGroupFormSet,
    ProgrammeForm,
    SessionForm,
)
from ..models import Fidelity, FidelityCheck, Intervention, InterventionProgramme, Reach
from .vignettes import save_ordered


class InterventionListView(SiteViewMixin, TemplateView):
    permission = "can_view"
    template_name = "cases/intervention_list.html"

    def get_context_data(self, **kwargs):
        interventions = self.site.interventions.select_related("programme", "school").order_by(
            "programme__short_name", "school__name"
        )
        reach = self.site.interventions.reach("pk")
        rows = [(i, reach.get(i.pk, Reach())) for i in interventions]
        return super().get_context_data(rows=rows, **kwargs)


class InterventionObjectMixin(SiteViewMixin):
    """Loads `self.intervention` through the site, once the person's role allows the page."""

    @cached_property
    def intervention(self):
        return get_object_or_404(
            self.site.interventions.select_related("programme", "school", "site"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(intervention=self.intervention, **kwargs)


class InterventionDetailView(InterventionObjectMixin, TemplateView):
    permission = "can_view"
    template_name = "cases/intervention_detail.html"

    def get_context_data(self, **kwargs):
        intervention = self.intervention
        sessions = list(intervention.sessions.prefetch_related("groups"))
        groups = list(intervention.groups.annotate(session_count=Count("sessions")))
        items = list(intervention.programme.fidelity_items.all())
        checks = {c.item_id: c for c in intervention.fidelity_checks.all()}
        checklist = [(item, checks.get(item.pk)) for item in items]
        met = sum(1 for c in checks.values() if c.status == Fidelity.MET)
        return super().get_context_data(
            sessions=sessions,
            groups=groups,
            reach=intervention.reach(),
            checklist=checklist,
            met=met,
            assessed=len(checks),
            **kwargs,
        )


class InterventionFormMixin:
    """The intervention's form with its groups beside it, saved together."""

    form_class = InterventionForm
    template_name = "cases/intervention_form.html"
    saved_message = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_groups(self):
        data = self.request.POST if self.request.method == "POST" else None
        return InterventionGroupFormSet(data, instance=self.object, prefix="groups")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("groups", self.get_groups())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form, groups = self.get_form(), self.get_groups()
        if not (form.is_valid() and groups.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, groups=groups))
        with transaction.atomic():
            self.object = form.save()
            groups.instance = self.object
            groups.save()
        messages.success(request, self.saved_message)
        return redirect(self.object)


class InterventionCreateView(SiteViewMixin, InterventionFormMixin, CreateView):
    permission = "can_work"
    saved_message = _("The intervention is added. Log its sessions as they are held.")

    def get_object(self, queryset=None):
        return Intervention(site=self.site, created_by=self.request.user)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data())

    def get_initial(self):
        programme = self.request.GET.get("programme")
        return {"programme": programme} if programme and programme.isdigit() else {}


class InterventionUpdateView(InterventionObjectMixin, InterventionFormMixin, UpdateView):
    permission = "can_work"
    saved_message = _("Saved.")

    def get_object(self, queryset=None):
        return self.intervention


class SessionFormMixin(InterventionObjectMixin):
    permission = "can_work"
    form_class = SessionForm
    template_name = "cases/session_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "intervention": self.intervention}


class SessionCreateView(SessionFormMixin, CreateView):
    def form_valid(self, form):
        form.instance.intervention = self.intervention
        form.save()
        messages.success(self.request, _("The session is logged."))
        return redirect(self.intervention)


class SessionUpdateView(SessionFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.intervention.sessions, pk=self.kwargs["session_pk"])

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The session is saved."))
        return redirect(self.intervention)


class SessionDeleteView(InterventionObjectMixin, TemplateView):
    permission = "can_work"
    template_name = "cases/session_confirm_delete.html"

    def get_session(self):
        return get_object_or_404(self.intervention.sessions, pk=self.kwargs["session_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.get_session(), **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_session().delete()
        messages.success(request, _("The session is removed."))
        return redirect(self.intervention)


class FidelityView(InterventionObjectMixin, TemplateView):
    """The programme's fidelity checklist for this intervention."""

    permission = "can_work"
    template_name = "cases/fidelity_form.html"

    def make_form(self, data=None):
        items = list(self.intervention.programme.fidelity_items.all())
        existing = {c.item_id: c for c in self.intervention.fidelity_checks.all()}
        return FidelityForm(data, items=items, existing=existing), existing

    def get(self, request, *args, **kwargs):
        form, _existing = self.make_form()
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form, existing = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        for item in form.items:
            status = form.cleaned_data[f"item-{item.pk}"]
            note = form.cleaned_data[f"note-{item.pk}"]
            check = existing.get(item.pk)
            if status:
                check = check or FidelityCheck(intervention=self.intervention, item=item)
                if check.pk is None or (check.status, check.note) != (status, note):
                    check.status, check.note = status, note
                    check.save()
            elif check is not None:
                check.delete()
        messages.success(request, _("The checklist is saved."))
        return redirect(self.intervention)


# --- Programmes (coordinators) ----------------------------------------------------------------


class ProgrammeListView(CoordinatorRequiredMixin, TemplateView):
    template_name = "cases/programme_list.html"

    def get_context_data(self, **kwargs):
        programmes = InterventionProgramme.objects.annotate(
            item_count=Count("fidelity_items", distinct=True),
            site_count=Count("interventions__site", distinct=True),
            school_count=Count("interventions", distinct=True),
        )
        reach = Intervention.objects.reach("programme")
        rows = [(p, reach.get(p.pk, Reach())) for p in programmes]
        return super().get_context_data(rows=rows, **kwargs)


class ProgrammeEditView(CoordinatorRequiredMixin, TemplateView):
    template_name = "cases/programme_form.html"

    @cached_property
    def programme(self):
        """The programme being edited (None for a new one), read after the role check."""
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(InterventionProgramme, pk=self.kwargs["pk"])

    def render_forms(self, form, formset):
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, programme=self.programme)
        )

    def get(self, request, *args, **kwargs):
        programme = self.programme or InterventionProgramme()
        return self.render_forms(
            ProgrammeForm(instance=programme),
            FidelityItemFormSet(instance=programme, prefix="items"),
        )

    def post(self, request, *args, **kwargs):
        programme = self.programme or InterventionProgramme()
        form = ProgrammeForm(request.POST, instance=programme)
        formset = FidelityItemFormSet(request.POST, instance=programme, prefix="items")
        if not (form.is_valid() and formset.is_valid()):
            return self.render_forms(form, formset)
        with transaction.atomic():
            programme = form.save()
            formset.instance = programme
            save_ordered(formset, "programme")
        messages.success(request, _("The programme is saved."))
        return redirect(reverse("cases:programme_list"))
