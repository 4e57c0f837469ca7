"""A site itself: its home (where it stands, what to do next), editing it, changing its phase.
Also the pieces every page of a site's structure shares: the form page and the table base."""

import django_tables2 as tables
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, UpdateView

from ..forms.sites import PhaseForm, SiteForm
from ..models import DocumentKind, Membership, PilotSite, Role
from ..models.progress import DOCUMENT_ORDER
from ..scoping import CoordinatorRequiredMixin, SiteViewMixin


class SiteTable(tables.Table):
    """A django-tables2 table with a caption (read by screen readers, hidden on screen)."""

    caption = ""

    def __init__(self, *args, caption=None, **kwargs):
        super().__init__(*args, **kwargs)
        if caption is not None:
            self.caption = caption

    class Meta:
        template_name = "pilots/tables/table.html"
        attrs = {"class": "table table-hover align-middle"}


class FormPageMixin:
    """Renders pilots/form_page.html: a heading, an optional lead text, the form, a submit
    button that says what it does and a way back."""

    template_name = "pilots/form_page.html"
    page_title = ""
    intro = ""
    submit_label = gettext_lazy("Save")

    def get_page_title(self):
        return self.page_title

    def get_intro(self):
        return self.intro

    def get_cancel_url(self):
        return self.get_success_url()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("page_title", self.get_page_title())
        kwargs.setdefault("intro", self.get_intro())
        kwargs.setdefault("submit_label", self.submit_label)
        kwargs.setdefault("cancel_url", self.get_cancel_url())
        return super().get_context_data(**kwargs)


def safe_next(request, default):
    """The `next` address of the request if it points into Triad, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class SiteHomeView(SiteViewMixin, TemplateView):
    """A site's home: what the site is, where it stands and what to do next."""

    template_name = "pilots/site_home.html"

    def get_context_data(self, **kwargs):
        site = (
            PilotSite.objects.select_related(
                "municipality",
                "region",
                "school_actor__parent",
                "social_actor__parent",
                "health_actor__parent",
            )
            .annotate(
                steering_count=Count(
                    "memberships",
                    filter=Q(memberships__role=Role.STEERING) & self._current_q(),
                ),
                working_count=Count(
                    "memberships",
                    filter=Q(memberships__role=Role.WORKING) & self._current_q(),
                ),
            )
            .get(pk=self.site.pk)
        )
        leads = (
            Membership.objects.current().filter(site=site, role=Role.LEAD).select_related("user")
        )
        documents = {d.kind: d for d in site.documents.select_related("approved_version")}
        latest = {}
        for document in documents.values():
            latest[document.kind] = document.versions.only("number", "created_at").first()
        plans = [
            {
                "kind": kind,
                "label": DocumentKind(kind).label,
                "document": documents.get(kind),
                "latest": latest.get(kind),
            }
            for kind in DOCUMENT_ORDER
        ]
        return super().get_context_data(
            site=site,
            triad=[
                (label, org)
                for label, org in (
                    (PilotSite._meta.get_field("school_actor").verbose_name, site.school_actor),
                    (PilotSite._meta.get_field("social_actor").verbose_name, site.social_actor),
                    (PilotSite._meta.get_field("health_actor").verbose_name, site.health_actor),
                )
            ],
            schools=site.schools.filter(is_active=True),
            leads=leads,
            plans=plans,
            next_steps=site.next_steps(self.access),
            phase_changes=site.phase_changes.select_related("changed_by"),
            recent_meetings=site.steering_meetings.annotate(decision_count=Count("decisions"))[:3],
            **kwargs,
        )

    @staticmethod
    def _current_q():
        return Q(memberships__ends_on__isnull=True) | Q(
            memberships__ends_on__gte=timezone.localdate()
        )


class SiteUpdateView(SiteViewMixin, FormPageMixin, UpdateView):
    """Edit the site's name and which organisation stands for each actor."""

    permission = "can_manage"
    form_class = SiteForm
    page_title = gettext_lazy("Edit the site")
    submit_label = gettext_lazy("Save the site")

    def get_intro(self):
        return _(
            "Choose the unit that stands for each of the three actors. The triad is complete "
            "when all three are chosen."
        )

    def get_object(self, queryset=None):
        return self.site

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def form_valid(self, form):
        messages.success(self.request, _("The site is saved."))
        return super().form_valid(form)

    def get_success_url(self):
        return self.site.get_absolute_url()


class SitePhaseView(CoordinatorRequiredMixin, SiteViewMixin, FormPageMixin, FormView):
    """A coordinator moves the site to another phase; the move is recorded."""

    form_class = PhaseForm
    page_title = gettext_lazy("Change the phase")
    submit_label = gettext_lazy("Change the phase")

    def get_intro(self):
        return _("%(site)s is now in the phase “%(phase)s”. The change is kept in the history.") % {
            "site": self.site.name,
            "phase": self.site.get_phase_display(),
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def form_valid(self, form):
        self.site.set_phase(
            form.cleaned_data["phase"], by=self.request.user, note=form.cleaned_data["note"]
        )
        messages.success(
            self.request,
            _("%(site)s is now in the phase “%(phase)s”.")
            % {"site": self.site.name, "phase": self.site.get_phase_display()},
        )
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.site.get_absolute_url()
