"""Vignettes: the programme's library (written by coordinators) and each site's own, told in
stages. A site's working group writes what each actor would do at each stage; the responses
are compared per actor within a site, and across sites by the coordinators."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from infra.kept import KeptBodyMixin
from pilots.models import Actor, PilotSite
from pilots.scoping import CoordinatorRequiredMixin, SiteViewMixin

from ..forms import ResponseForm, StageFormSet, VignetteForm
from ..models import Vignette, VignetteResponse


def save_ordered(formset, parent_attr):
    """Save an inline formset's rows in the order shown, numbered 1, 2, 3 … in `position`
    (unique per parent), and delete the rows marked for deletion."""
    rows = []
    for form in formset.forms:
        if formset._should_delete_form(form):
            if form.instance.pk:
                form.instance.delete()
            continue
        if form.instance.pk or form.has_changed():
            rows.append(form.save(commit=False))
    # Move every row out of the way first, because positions are unique.
    for i, row in enumerate(rows, start=1):
        setattr(row, parent_attr, formset.instance)
        row.position = 1000 + i
        row.save()
    for i, row in enumerate(rows, start=1):
        row.position = i
        row.save(update_fields=["position"])


def usable_at(site, user):
    """The vignettes a site works with: the programme's and the site's own."""
    return Vignette.objects.restrict(user).filter(Q(site__isnull=True) | Q(site=site))


class VignetteEditMixin:
    """The vignette form with its stages; `self.site` is None for the programme's vignettes.
    `vignette` is None for a new one."""

    template_name = "cases/vignette_form.html"
    vignette = None

    def owner_site(self):
        return None

    def render_forms(self, form, formset):
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def get(self, request, *args, **kwargs):
        vignette = self.vignette or Vignette(site=self.owner_site())
        return self.render_forms(
            VignetteForm(instance=vignette, site=self.owner_site()),
            StageFormSet(instance=vignette, prefix="stages"),
        )

    def post(self, request, *args, **kwargs):
        vignette = self.vignette or Vignette(site=self.owner_site(), created_by=request.user)
        form = VignetteForm(request.POST, instance=vignette, site=self.owner_site())
        formset = StageFormSet(request.POST, instance=vignette, prefix="stages")
        if not (form.is_valid() and formset.is_valid()):
            return self.render_forms(form, formset)
        with transaction.atomic():
            vignette = form.save()
            formset.instance = vignette
            save_ordered(formset, "vignette")
        messages.success(request, _("The vignette is saved."))
        return redirect(self.success_url(vignette))


# --- At a site ------------------------------------------------------------------------------


class VignetteListView(SiteViewMixin, TemplateView):
    permission = "can_view"
    template_name = "cases/vignette_list.html"

    def get_context_data(self, **kwargs):
        vignettes = (
            usable_at(self.site, self.request.user)
            .annotate(
                stage_count=Count("stages", distinct=True),
                answered=Count(
                    "stages__responses",
                    filter=Q(stages__responses__site=self.site),
                    distinct=True,
                ),
            )
            .order_by("site", "title")
        )
        programme = [v for v in vignettes if v.site_id is None]
        own = [v for v in vignettes if v.site_id is not None]
        for v in vignettes:
            v.expected = v.stage_count * len(Actor)
        return super().get_context_data(programme=programme, own=own, **kwargs)


class VignetteCreateView(SiteViewMixin, VignetteEditMixin, TemplateView):
    permission = "can_work"

    def owner_site(self):
        return self.site

    def success_url(self, vignette):
        return vignette_url(self.site, vignette)


class SiteVignetteMixin(SiteViewMixin):
    """Loads a vignette the site may use: the programme's, or the site's own (`own_only`).
    It is loaded once the person's role allows the page, so a missing one is no different."""

    own_only = False

    @cached_property
    def vignette(self):
        vignettes = usable_at(self.site, self.request.user)
        if self.own_only:
            vignettes = vignettes.filter(site=self.site)
        return get_object_or_404(vignettes, pk=self.kwargs["pk"])


def vignette_url(site, vignette):
    from django.urls import reverse

    return reverse("cases:vignette_detail", kwargs={"site_slug": site.slug, "pk": vignette.pk})


class VignetteUpdateView(SiteVignetteMixin, VignetteEditMixin, TemplateView):
    permission = "can_work"
    own_only = True

    def owner_site(self):
        return self.site

    def success_url(self, vignette):
        return vignette_url(self.site, vignette)


class VignetteDetailView(SiteVignetteMixin, TemplateView):
    """The vignette stage by stage, with what each actor at this site would do, side by side."""

    permission = "can_view"
    template_name = "cases/vignette_detail.html"

    def get_context_data(self, **kwargs):
        stages = list(self.vignette.stages.all())
        responses = {
            (r.stage_id, r.actor): r
            for r in VignetteResponse.objects.filter(
                site=self.site, stage__vignette=self.vignette
            ).select_related("updated_by")
        }
        rows = [
            (stage, [(label, responses.get((stage.pk, actor))) for actor, label in Actor.choices])
            for stage in stages
        ]
        return super().get_context_data(
            vignette=self.vignette,
            rows=rows,
            actors=Actor.choices,
            answered=len(responses),
            **kwargs,
        )


class VignetteRespondView(SiteVignetteMixin, TemplateView):
    """The working group writes, per stage, what each of the three actors would do."""

    permission = "can_work"
    template_name = "cases/vignette_respond.html"

    def make_form(self, data=None):
        stages = list(self.vignette.stages.all())
        existing = {
            (r.stage_id, r.actor): r
            for r in VignetteResponse.objects.filter(site=self.site, stage__in=stages)
        }
        return ResponseForm(data, stages=stages, existing=existing), existing

    def get(self, request, *args, **kwargs):
        form, _existing = self.make_form()
        return self.render_to_response(self.get_context_data(form=form, vignette=self.vignette))

    def post(self, request, *args, **kwargs):
        form, existing = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, vignette=self.vignette))
        for stage in form.stages:
            for actor in Actor.values:
                text = form.cleaned_data[form.field_name(stage, actor)].strip()
                response = existing.get((stage.pk, actor))
                if text:
                    if response is None:
                        response = VignetteResponse(site=self.site, stage=stage, actor=actor)
                    if response.text != text or response.pk is None:
                        response.text = text
                        response.updated_by = request.user
                        response.save()
                elif response is not None:
                    response.delete()
        messages.success(request, _("Your answers are saved."))
        return redirect(vignette_url(self.site, self.vignette))


# --- The programme's library (coordinators) ---------------------------------------------------


def programme_vignettes(user):
    """The programme's own vignettes (no site), as far as the person may see them."""
    return Vignette.objects.restrict(user).filter(site__isnull=True)


class ProgrammeVignetteListView(CoordinatorRequiredMixin, TemplateView):
    template_name = "cases/programme_vignette_list.html"

    def get_context_data(self, **kwargs):
        vignettes = programme_vignettes(self.request.user).annotate(
            stage_count=Count("stages", distinct=True),
            site_count=Count("stages__responses__site", distinct=True),
        )
        return super().get_context_data(vignettes=vignettes, **kwargs)


class ProgrammeVignetteCreateView(CoordinatorRequiredMixin, VignetteEditMixin, TemplateView):
    def success_url(self, vignette):
        from django.urls import reverse

        return reverse("cases:programme_vignette_compare", kwargs={"pk": vignette.pk})


class ProgrammeVignetteUpdateView(ProgrammeVignetteCreateView):
    @cached_property
    def vignette(self):
        return get_object_or_404(programme_vignettes(self.request.user), pk=self.kwargs["pk"])


class ProgrammeVignetteCompareView(CoordinatorRequiredMixin, KeptBodyMixin, TemplateView):
    """One of the programme's vignettes: every site's responses side by side, stage by stage;
    drawn once and kept until the programme's data changes (infra/kept.py)."""

    template_name = "cases/programme_vignette_compare.html"
    body_template = "cases/includes/programme_vignette_compare_body.html"
    sites_per_page = 25

    @cached_property
    def vignette(self):
        return get_object_or_404(programme_vignettes(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(vignette=self.vignette, **kwargs)

    def body_context(self):
        vignette = self.vignette
        stages = list(vignette.stages.all())
        # A page of the sites that answered at a time: every site's three answers to every
        # stage of the national programme is more text than one page can carry.
        answered = PilotSite.objects.filter(vignette_responses__stage__vignette=vignette)
        page = Paginator(answered.distinct().order_by("name", "pk"), self.sites_per_page).get_page(
            self.request.GET.get("page")
        )
        sites = list(page.object_list)
        responses = VignetteResponse.objects.filter(stage__vignette=vignette, site__in=sites)
        actor = self.request.GET.get("actor")
        actor = actor if actor in Actor.values else None
        by_key = {(r.stage_id, r.site_id, r.actor): r for r in responses}
        actors = [(a, label) for a, label in Actor.choices if actor in (None, a)]
        rows = [
            (
                stage,
                [
                    (site, [(label, by_key.get((stage.pk, site.pk, a))) for a, label in actors])
                    for site in sites
                ],
            )
            for stage in stages
        ]
        return {
            "rows": rows,
            "page_obj": page,
            "answered_count": page.paginator.count,
            "all_actors": Actor.choices,
            "actor": actor,
            "site_total": PilotSite.objects.count(),
        }
