"""Practical tests: the site's PDSA cycles. The list, a test's page and its printable page
show aggregates of its cases to everyone who follows the site (coordinators and steering
members too), with small numbers hidden from all but those who may see cases
(cases/disclosure.py); the cases themselves only to those who may see cases."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, TemplateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from dashboards.models import ChartSettings, SiteDataVersion, SiteState, SiteSummary
from dashboards.presenters import SummaryView, chart_words
from infra import printing
from infra.kept import kept, kept_html
from pilots.scoping import SiteViewMixin

from .. import predictions, services
from ..disclosure import sees_exact, threshold
from ..filters import PracticalTestFilter, compact
from ..forms import STEP_FORMS, PlanForm
from ..kept import kept_case_html
from ..models import NEXT_STAGE, AccessAction, Stage
from ..summaries import summarise, test_figures, test_totals
from ..tables import PracticalTestTable
from .mixins import TestObjectMixin


class PracticalTestListView(SiteViewMixin, SingleTableMixin, FilterView):
    """The site's practical tests, with the aggregates of all its cases."""

    permission = "can_view"
    table_class = PracticalTestTable
    filterset_class = PracticalTestFilter
    template_name = "cases/test_list.html"
    paginate_by = 20

    def get_queryset(self):
        return self.site.practical_tests.annotate(cases_count=Count("cases")).order_by(
            "-starts_on", "-pk"
        )

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "site": self.site}

    def get_table_kwargs(self):
        return {"counts": test_totals(self.site, self.access)}

    def get_context_data(self, **kwargs):
        compact(self.filterset.form)
        summary = summarise(self.site.cases.all()).figures(viewer=self.access, site=self.site)
        return super().get_context_data(summary=summary, **kwargs)


class PracticalTestCreateView(SiteViewMixin, CreateView):
    permission = "can_work"
    form_class = PlanForm
    template_name = "cases/test_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_initial(self):
        return {"people": [self.request.user.pk], "planned_cases": 5}

    def form_valid(self, form):
        form.instance.site = self.site
        form.instance.created_by = self.request.user
        response = super().form_valid(form)
        messages.success(self.request, _("The test is planned. Log its cases as they come."))
        return response


def test_measures(test, viewer, latest, chart_settings):
    """The site's measures as charts split at the test's start, with the site's cycles marked
    and the test's prediction as a target line (from the site's latest summary)."""
    if latest is None:
        return []
    view = SummaryView(latest, viewer=viewer)
    # The rule set the site's lead chose; the split is always this test's own start.
    view.chart_settings = chart_settings
    return view.measure_charts(split_on=test.starts_on.isoformat(), target=predictions.target(test))


class PracticalTestDetailView(TestObjectMixin, TemplateView):
    """A test's page: the cycle step by step, its results and (for those who may) its cases:
    code, school, school year, first contact, days to intervention, status. So it carries the
    "shows case data" mark: those who may see cases need the second factor, and each case in
    the table is recorded as seen in a list. Others see aggregates only and no case row."""

    permission = "can_view"
    shows_case_data = AccessAction.LISTED
    template_name = "cases/test_detail.html"
    cases_shown = 20
    # Outside its body the page shows only the test's name; the body reads the whole test
    # when it is drawn.
    test_fields = ("site", "title", "cycle")

    def viewer(self):
        return self.access

    def page_context(self, drawn_from, test):
        """What the page and its printable version show of the test. Its figures are drawn
        from its site's data, whose every change moves the site's count (dashboards.changes):
        kept under it (infra/kept.py)."""
        viewer = self.viewer()
        summary = kept("test_figures", drawn_from, lambda: test_figures(test, viewer=viewer))
        return {
            "summary": summary,
            "prediction": predictions.sentence(test, summary),
            "chain": test.chain(),
            "schools": test.schools.all(),
            "people": test.people.all(),
        }

    def drawn_from(self, version):
        return [
            version,
            self.test.pk,
            sees_exact(self.viewer(), self.site),
            threshold(),
            timezone.localdate(),
        ]

    def get_context_data(self, **kwargs):
        # The whole page below the menu is drawn once and kept until the site's data, its
        # latest summary or its chart settings change, or the day does (cases/kept.py); for
        # each set of abilities that changes what it shows.
        access = self.access
        state = SiteState.of(self.site.pk)
        drawn_from = self.drawn_from(state.version)
        parts = [
            *drawn_from,
            state.summary,
            state.built_at,
            *state.chart_settings_parts,
            access.can_see_cases(),
            access.can_work(),
        ]

        def context():
            test = self.whole_tests().get(pk=self.test.pk)
            context = {**self.page_context(drawn_from, test), "site": self.site, "test": test}
            context["access"] = access
            if access.can_see_cases():
                # Through the site, so each row's link knows its site without a query of its
                # own. The latest few, newest first; the case list filtered by the test has
                # them all (a big city's test of a hundred cases drew six times the plainest
                # page).
                cases = self.site.cases.filter(practical_test=test)
                context["cases"] = list(
                    cases.select_related("school").order_by("-number")[: self.cases_shown]
                )
                context["case_count"] = cases.count()
            context["measures_html"] = self.measures_html(test, self.viewer(), drawn_from, state)
            return context

        body = kept_case_html(
            self.request, "test_page", parts, "cases/includes/test_page.html", context
        )
        # The measures' styles and scripts, where the site has a summary to draw them from.
        has_measures = state.summary is not None
        return super().get_context_data(body=body, has_measures=has_measures, **kwargs)

    def measures_html(self, test, viewer, drawn_from, state):
        """The measures around the test, drawn once per summary and chart settings too."""
        parts = [*drawn_from, state.summary, state.built_at, *state.chart_settings_parts]

        def context():
            # The summary the key names, and the chart settings, read only to draw.
            latest = (
                SiteSummary.objects.select_related("site").filter(pk=state.summary).first()
                if state.summary
                else None
            )
            chart_settings = ChartSettings.of_site(test.site)
            measures = test_measures(test, viewer, latest, chart_settings)
            return {
                "test": test,
                "measures": measures,
                "measures_script": {"measures": measures, "words": chart_words()},
            }

        return kept_html("test_measures", parts, "cases/includes/test_measures.html", context)


class PracticalTestPrintView(PracticalTestDetailView):
    """The page a site presents at a workshop: plan, what happened, results, decision. It
    carries aggregates only, whoever prints it: no case row is read, so it has no mark."""

    shows_case_data = None
    template_name = "cases/test_print.html"
    test_fields = None  # the whole test: the page is drawn each time

    def get_context_data(self, **kwargs):
        drawn_from = self.drawn_from(SiteDataVersion.of(self.site.pk))
        return super(PracticalTestDetailView, self).get_context_data(
            **self.page_context(drawn_from, self.test), **kwargs
        )

    def viewer(self):
        # Printed for a workshop, where other sites see it: small numbers hidden, whoever prints.
        return None


class PracticalTestPdfView(PracticalTestPrintView):
    """The printable page as a PDF, drawn from the same page with its print styles."""

    def render_to_response(self, context, **response_kwargs):
        html = super().render_to_response(context, **response_kwargs).rendered_content
        name = f"{self.site.slug}-test-{self.test.pk}.pdf"
        return printing.pdf_response(self.request, html, name)


class PracticalTestStepView(TestObjectMixin, UpdateView):
    """One step of the cycle: plan, do, study or act, each with its own fields."""

    permission = "can_work"
    template_name = "cases/test_step.html"

    @cached_property
    def step(self):
        """The step in the address, read once the person's role allows the page."""
        step = self.kwargs.get("step", Stage.PLAN)
        if step not in STEP_FORMS:
            raise Http404
        return Stage(step)

    def get_object(self, queryset=None):
        return self.test

    def get_form_class(self):
        return STEP_FORMS[self.step]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.step == Stage.PLAN:
            kwargs["site"] = self.site
        return kwargs

    def get_context_data(self, **kwargs):
        order = list(Stage.values)
        context = {
            "step": self.step,
            "next_stage": NEXT_STAGE.get(self.step),
            # Until the cycle has passed this step, saving it may also move on to the next.
            "can_advance": self.step in NEXT_STAGE
            and order.index(self.test.stage) <= order.index(self.step),
        }
        if self.step in (Stage.STUDY, Stage.ACT):
            context["summary"] = test_figures(self.test, viewer=self.access)
        return super().get_context_data(**context, **kwargs)

    def form_valid(self, form):
        test = form.save(commit=False)
        # "Go on: do" opens the next step's form: saving it means the cycle is at that step.
        test.advance(self.step)
        if self.step == Stage.ACT:
            test.advance(Stage.DONE)
        elif "advance" in self.request.POST:
            test.advance(NEXT_STAGE[self.step])
        test.save()
        form.save_m2m()
        if test.is_done:
            messages.success(self.request, _("The cycle is closed with a decision."))
        else:
            messages.success(self.request, _("Saved."))
        return redirect(test)


class NextCycleView(TestObjectMixin, TemplateView):
    """Start the next cycle of a test whose decision is made."""

    permission = "can_work"
    template_name = "cases/test_next_cycle.html"

    def post(self, request, *args, **kwargs):
        if not self.test.is_done:
            messages.error(request, _("Record the decision (act) before you start a new cycle."))
            return redirect(self.test)
        new = services.start_next_cycle(self.test, by=request.user)
        messages.success(
            request,
            _("Cycle %(n)s is planned from the last one. Adjust the plan.") % {"n": new.cycle},
        )
        return redirect("cases:test_step", site_slug=self.site.slug, pk=new.pk, step=Stage.PLAN)
