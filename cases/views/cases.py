"""Case pages: list, log, read, edit, close, timeline, history, export and the access log.
Every one of them is for the site's project leads and working-group members only
(CasePageMixin) and carries the "shows case data" mark: what the person saw or did is written
to the audit record for them (cases/casedata.py), whatever the page answers — no view here
writes it itself."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from infra import spreadsheets
from infra.kept import query_parts

from .. import audit, exports, history, services
from ..casedata import record_before_sending
from ..filters import CaseFilter, compact
from ..forms import CaseForm, CloseForm, EventForm, consent_forms
from ..kept import kept_case_html, site_parts
from ..models import AccessAction, Case, CaseEvent
from ..pagination import SeekPaginator
from ..tables import CaseTable
from .mixins import CaseObjectMixin, CasePageMixin


class CaseListView(CasePageMixin, SingleTableMixin, FilterView):
    shows_case_data = AccessAction.LISTED  # the rows of the page shown, not the whole list
    table_class = CaseTable
    filterset_class = CaseFilter
    template_name = "cases/case_list.html"
    body_template = "cases/includes/case_list_body.html"
    # The table paginates (one count); paginate_by would make the list view count again. Deep
    # pages are read by seeking from a neighbouring page's row (cases/pagination.py).
    table_pagination = {"per_page": 25, "paginator_class": SeekPaginator}

    # What a row shows (cases/includes/case_table.html): the free texts and the plans of the
    # tests stay in the database.
    ROW_FIELDS = (
        "site",  # the site's own manager sets each row's site: no join needed
        "code",
        "practical_test__title",
        "practical_test__cycle",
        "school__name",
        "school_year",
        "raised_by",
        "first_contact_on",
        "first_intervention_on",
        "closed_on",
        "closure",
    )

    def get_queryset(self):
        return (
            self.site.cases.select_related("school", "practical_test")
            .only(*self.ROW_FIELDS)
            .with_days_to_intervention()
        )

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "site": self.site}

    def get_table_pagination(self, table):
        return {**super().get_table_pagination(table), "anchor": self.request.GET.get("from")}

    def get(self, request, *args, **kwargs):
        # The list for this query, drawn once and kept until the site's data changes or the
        # day does (cases/kept.py); "mine" makes it the reader's own.
        mine = request.user.pk if "mine" in request.GET else None
        parts = [*site_parts(self.site), query_parts(request), mine]

        def context():
            return super(CaseListView, self).get(request, *args, **kwargs).context_data

        body = kept_case_html(request, "case_list", parts, self.body_template, context)
        return self.response_class(
            request, self.template_name, {"site": self.site, "access": self.access, "body": body}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        compact(self.filterset.form)
        table = context["table"]
        # The template includes the table's markup rather than {% render_table %}, which
        # renders it in a fresh RequestContext (every context processor again); so the
        # table's own preparation is called here.
        table.before_render(self.request)
        # Says whether to offer the filters or the first case; asks only when none matched.
        context["has_cases"] = bool(table.paginator.count) or self.site.cases.exists()
        context["export_query"] = self.request.GET.urlencode()
        return context


class CaseExportView(CasePageMixin, FilterView):
    """The site's cases (as filtered) as CSV or XLSX: structured fields only, no free text, each
    case's timeline summed up (cases/exports.py), read in chunks however many cases there are.

    A file leaves Triad's access control, so the person confirms their password first
    (allauth's reauthentication; again after ACCOUNT_REAUTHENTICATION_TIMEOUT). The check
    sits on `get`, after the case ability is checked: others still get 404. Every case in the
    file is in the access record before the first byte is sent."""

    shows_case_data = AccessAction.EXPORTED
    filterset_class = CaseFilter

    def get_queryset(self):
        return self.site.cases.all()

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "site": self.site}

    @method_decorator(reauthentication_required)
    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        keys = exports.keys(filterset.qs if filterset.is_valid() else self.get_queryset())
        record_before_sending(request, keys)
        export_format = spreadsheets.format_of(request)
        filename = f"{self.site.slug}-cases-{timezone.localdate().isoformat()}.{export_format}"
        if export_format == "xlsx":
            return exports.xlsx_response(self.site, keys, filename, _("Cases"))
        return exports.csv_response(self.site, keys, filename)


class CaseFormsMixin:
    """The case form with its three consent forms, one per actor."""

    template_name = "cases/case_form.html"

    def render_forms(self, form, consents, **extra):
        return self.render_to_response(
            self.get_context_data(form=form, consent_forms=consents, **extra)
        )


class CaseCreateView(CasePageMixin, CaseFormsMixin, TemplateView):
    def initial(self):
        initial = {"first_contact_on": timezone.localdate()}
        test_pk = self.request.GET.get("test")
        if test_pk and test_pk.isdigit():
            test = self.site.practical_tests.filter(pk=test_pk).first()
            if test:
                initial["practical_test"] = test
                schools = list(test.schools.all()[:2])
                if len(schools) == 1:
                    initial["school"] = schools[0]
        return initial

    def get(self, request, *args, **kwargs):
        form = CaseForm(site=self.site, initial=self.initial())
        return self.render_forms(form, consent_forms())

    def post(self, request, *args, **kwargs):
        form = CaseForm(request.POST, site=self.site)
        consents = consent_forms(data=request.POST)
        if not (form.is_valid() and all(c.is_valid() for c in consents)):
            return self.render_forms(form, consents)
        case = services.log_case(
            form.save(commit=False),
            site=self.site,
            by=request.user,
            consents={c.actor: c.save(commit=False) for c in consents},
        )
        messages.success(
            request,
            _("Case %(code)s is logged. Add its contacts and interventions to the timeline below.")
            % {"code": case.code},
        )
        return redirect(case)


class CaseUpdateView(CaseObjectMixin, CaseFormsMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return self.render_forms(
            CaseForm(site=self.site, instance=self.case), consent_forms(self.case)
        )

    def post(self, request, *args, **kwargs):
        before = history.snapshot(self.case, services.CASE_FIELDS)
        consents_before = services.consent_snapshot(self.case)
        form = CaseForm(request.POST, site=self.site, instance=self.case)
        consents = consent_forms(self.case, data=request.POST)
        if not (form.is_valid() and all(c.is_valid() for c in consents)):
            return self.render_forms(form, consents)
        case = form.save(commit=False)
        saved_consents = []
        for c in consents:
            consent = c.save(commit=False)
            consent.case = case
            saved_consents.append(consent)
        services.save_case(
            case,
            by=request.user,
            before=before,
            consents=saved_consents,
            consents_before=consents_before,
        )
        messages.success(request, _("Case %(code)s is saved.") % {"code": case.code})
        return redirect(case)


def case_work(case, *, form=None, added=False) -> dict:
    """What the one case page shows below its header (cases/includes/case_work.html): the
    facts, the timeline with a form for the next entry, and, while open, the closing form."""
    events = list(case.events.select_related("created_by"))
    return {
        "events": events,
        "actors": sorted({e.get_actor_display() for e in events}),
        "minutes": sum(e.minutes or 0 for e in events),
        "consents": case.consents.all(),
        "form": form or EventForm(case=case, initial={"occurred_on": timezone.localdate()}),
        "close_form": CloseForm(instance=case) if case.is_open else None,
        "added": added,
    }


class CaseDetailView(CaseObjectMixin, TemplateView):
    """The one case page: read it, add to its timeline in place (htmx), and close it."""

    template_name = "cases/case_detail.html"
    # Outside its body the page shows only the case's code; the body reads the whole case
    # when it is drawn.
    case_fields = ("site", "code")

    def get_context_data(self, **kwargs):
        # Its body is drawn once and kept until the site's data (this case among it) changes
        # or the day does (cases/kept.py).
        site = self.site

        def context():
            case = self.whole_cases(site).get(pk=self.case.pk)
            return {"site": site, "case": case, **case_work(case)}

        work = kept_case_html(
            self.request,
            "case_work",
            [*site_parts(site), self.case.pk],
            "cases/includes/case_page.html",
            context,
        )
        return super().get_context_data(work=work, **kwargs)


class CaseCloseView(CaseObjectMixin, TemplateView):
    """Close a case: resolved at the first line, or referred onward (to whom, when, why)."""

    template_name = "cases/case_close.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CloseForm(instance=self.case)))

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "reopen" and not self.case.is_open:
            services.reopen_case(self.case, by=request.user)
            messages.success(request, _("The case is open again."))
            return redirect(self.case)
        before = history.snapshot(self.case, services.CLOSING_FIELDS)
        form = CloseForm(request.POST, instance=self.case)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        case = services.close_case(form.save(commit=False), by=request.user, before=before)
        messages.success(request, _("Case %(code)s is closed.") % {"code": case.code})
        return redirect(case)


class CaseTimelineView(CaseObjectMixin, TemplateView):
    """The timeline of a case with a short form to add the next entry."""

    template_name = "cases/case_timeline.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            events=self.case.events.select_related("created_by"), **kwargs
        )

    def get(self, request, *args, **kwargs):
        form = EventForm(case=self.case, initial={"occurred_on": timezone.localdate()})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = EventForm(request.POST, case=self.case)
        if form.is_valid():
            services.add_event(form.save(commit=False), case=self.case, by=request.user)
        if request.htmx:
            # From the case page: its body again, with the entry in place (or the form's
            # errors), the first intervention and the sums derived anew.
            self.template_name = "cases/includes/case_work.html"
            context = case_work(self.case, form=None if form.is_valid() else form)
            context["added"] = form.is_valid()
            return self.render_to_response(super().get_context_data(**context))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("The entry is added to the timeline."))
        return redirect("cases:case_timeline", site_slug=self.site.slug, pk=self.case.pk)


class EventMixin(CaseObjectMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.site_access.can_see_cases():
            self.event = get_object_or_404(
                CaseEvent.objects.filter(case__site=request.site, case_id=kwargs["pk"]),
                pk=kwargs["event_pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)


class EventUpdateView(EventMixin, TemplateView):
    template_name = "cases/event_form.html"

    def get(self, request, *args, **kwargs):
        form = EventForm(case=self.case, instance=self.event)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = EventForm(request.POST, case=self.case, instance=self.event)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.change_event(form.save(commit=False), by=request.user)
        messages.success(request, _("The timeline entry is saved."))
        return redirect("cases:case_timeline", site_slug=self.site.slug, pk=self.case.pk)


class EventDeleteView(EventMixin, TemplateView):
    template_name = "cases/event_confirm_delete.html"

    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        services.remove_event(self.event, by=request.user)
        messages.success(
            request, _("The timeline entry is removed. The history keeps a note of it.")
        )
        return redirect("cases:case_timeline", site_slug=self.site.slug, pk=self.case.pk)


class CaseHistoryView(CaseObjectMixin, TemplateView):
    template_name = "cases/case_history.html"

    def get_context_data(self, **kwargs):
        entries = [
            {
                "change": change,
                "lines": [history.display(Case, c) for c in change.changes],
            }
            for change in self.case.changes.select_related("changed_by")
        ]
        return super().get_context_data(entries=entries, **kwargs)


class CaseAccessLogView(CaseObjectMixin, TemplateView):
    """The access log of one case (loggutdrag): who listed, opened, changed or exported it."""

    shows_case_data = AccessAction.LOG_VIEWED
    template_name = "cases/case_access_log.html"

    def get_context_data(self, **kwargs):
        log = audit.access_log(self.case)
        page = Paginator(log, 100).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, accesses=page.object_list, **kwargs)


class CaseAccessLogExportView(CaseObjectMixin, TemplateView):
    """The access log of one case as a CSV or XLSX file (after the password, like the cases)."""

    shows_case_data = AccessAction.LOG_EXPORTED

    @method_decorator(reauthentication_required)
    def get(self, request, *args, **kwargs):
        columns = [
            spreadsheets.Column(heading)
            for heading in (_("When"), _("Person"), _("E-mail address"), _("What"), _("Page"))
        ]
        rows = [
            [
                access.at,
                access.user_name,
                access.user_email,
                access.get_action_display(),
                access.path,
            ]
            for access in audit.access_log(self.case)
        ]
        filename = f"loggutdrag-{self.case.code}-{timezone.localdate().isoformat()}"
        return spreadsheets.response(
            spreadsheets.format_of(request),
            columns,
            [rows],
            filename,
            title=self.case.code,
            stream=False,  # the record of this reading is written as the view returns
        )
