"""The site's plan documents — needs analysis, project plan, action plan — as versioned texts:
read the latest, look back at any version, write a new one, record the steering group's
approval."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from ..forms.documents import ApprovalForm, PlanVersionForm
from ..models import DocumentKind, PlanDocument, PlanVersion
from ..models.progress import DOCUMENT_ORDER
from ..scoping import SiteViewMixin
from .sites import FormPageMixin

KIND_INTROS = {
    DocumentKind.NEEDS_ANALYSIS: gettext_lazy(
        "What children and young people at the site's schools need, what it rests on, and "
        "where the three actors do not meet today. The project plan builds on it."
    ),
    DocumentKind.PROJECT_PLAN: gettext_lazy(
        "Why and how the site takes part: aims, organisation, resources, timeline and risks. "
        "The steering group approves it."
    ),
    DocumentKind.ACTION_PLAN: gettext_lazy(
        "What the working group does and when: activities, practical tests, communication, "
        "follow-up."
    ),
}


EDIT_TITLES = {
    DocumentKind.NEEDS_ANALYSIS: gettext_lazy("Edit the needs analysis"),
    DocumentKind.PROJECT_PLAN: gettext_lazy("Edit the project plan"),
    DocumentKind.ACTION_PLAN: gettext_lazy("Edit the action plan"),
}


class DocumentListView(SiteViewMixin, TemplateView):
    """The three plan documents of the site and where each stands."""

    template_name = "pilots/document_list.html"

    def get_context_data(self, **kwargs):
        documents = {d.kind: d for d in self.site.documents.select_related("approved_version")}
        rows = []
        for kind in DOCUMENT_ORDER:
            document = documents.get(kind)
            latest = document.versions.select_related("author").first() if document else None
            rows.append(
                {
                    "kind": kind,
                    "label": DocumentKind(kind).label,
                    "intro": KIND_INTROS[kind],
                    "document": document,
                    "latest": latest,
                }
            )
        return super().get_context_data(rows=rows, **kwargs)


class DocumentKindMixin(SiteViewMixin):
    @cached_property
    def kind(self):
        """The document kind in the address, read once the person's role allows the page."""
        if self.kwargs["kind"] not in DocumentKind.values:
            raise Http404
        return self.kwargs["kind"]

    def get_document(self):
        return self.site.documents.filter(kind=self.kind).first()

    def get_context_data(self, **kwargs):
        kwargs.update(
            kind=self.kind,
            kind_label=DocumentKind(self.kind).label,
            kind_intro=KIND_INTROS[self.kind],
        )
        return super().get_context_data(**kwargs)


class DocumentDetailView(DocumentKindMixin, TemplateView):
    """The latest version of one document, with its version history."""

    template_name = "pilots/document_detail.html"

    def get_context_data(self, **kwargs):
        document = self.get_document()
        history = document.history() if document else []
        version = history[0] if history else None
        return super().get_context_data(
            document=document,
            version=version,
            history=history,
            is_latest=True,
            **kwargs,
        )


class DocumentVersionView(SiteViewMixin, TemplateView):
    """One earlier (or the latest) version of a document, as it was saved."""

    template_name = "pilots/document_detail.html"

    def get_context_data(self, **kwargs):
        version = get_object_or_404(
            PlanVersion.objects.select_related("document", "author", "approval_meeting"),
            document__site=self.site,
            pk=self.kwargs["pk"],
        )
        document = version.document
        history = document.history()
        kwargs.update(
            document=document,
            version=version,
            history=history,
            is_latest=history[0].pk == version.pk,
            kind=document.kind,
            kind_label=document.get_kind_display(),
            kind_intro=KIND_INTROS[document.kind],
        )
        return super().get_context_data(**kwargs)


class DocumentEditView(DocumentKindMixin, FormPageMixin, FormView):
    """Write a new version of a document, starting from the latest one."""

    permission = "can_manage"
    form_class = PlanVersionForm
    template_name = "pilots/document_edit.html"
    submit_label = gettext_lazy("Save as a new version")

    def get_latest(self):
        document = self.get_document()
        return document.latest_version() if document else None

    def get_page_title(self):
        return EDIT_TITLES[self.kind]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.kind, "latest": self.get_latest()}

    def get_context_data(self, **kwargs):
        latest = self.get_latest()
        return super().get_context_data(
            latest=latest, next_number=(latest.number + 1) if latest else 1, **kwargs
        )

    def form_invalid(self, form):
        if any(e.code == "conflict" for e in form.non_field_errors().as_data()):
            form.accept_latest_as_base()
        return super().form_invalid(form)

    @transaction.atomic
    def form_valid(self, form):
        document, _created = PlanDocument.objects.get_or_create(site=self.site, kind=self.kind)
        version = document.add_version(
            sections=form.section_texts(),
            author=self.request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(
            self.request,
            _("Version %(number)s of the %(document)s is saved.")
            % {"number": version.number, "document": document.get_kind_display().lower()},
        )
        return redirect(document.get_absolute_url())

    def get_success_url(self):
        return reverse(
            "pilots:document_detail", kwargs={"site_slug": self.site.slug, "kind": self.kind}
        )


class DocumentApproveView(SiteViewMixin, FormPageMixin, FormView):
    """The project lead records that the steering group approved a version."""

    permission = "can_manage"
    form_class = ApprovalForm
    submit_label = gettext_lazy("Record the approval")

    def get_version(self):
        if not hasattr(self, "_version"):
            self._version = get_object_or_404(
                PlanVersion.objects.select_related("document"),
                document__site=self.site,
                pk=self.kwargs["pk"],
            )
        return self._version

    page_title = gettext_lazy("Record the steering group's approval")

    def get_intro(self):
        version = self.get_version()
        about = _("%(document)s, version %(number)s of %(date)s.") % {
            "document": version.document.get_kind_display(),
            "number": version.number,
            "date": timezone.localdate(version.created_at).isoformat(),
        }
        if version.is_approved:
            return (
                about
                + " "
                + _("This version is recorded as approved on %(date)s. Saving corrects the record.")
                % {"date": version.approved_on.isoformat()}
            )
        return about + " " + _("Record it once the steering group has approved this version.")

    def get_form_kwargs(self):
        version = self.get_version()
        kwargs = {**super().get_form_kwargs(), "document": version.document, "site": self.site}
        if version.is_approved:
            kwargs["initial"] = {
                "approved_on": version.approved_on,
                "meeting": version.approval_meeting_id,
            }
        return kwargs

    def form_valid(self, form):
        version = self.get_version()
        version.document.approve(
            version,
            on=form.cleaned_data["approved_on"],
            by=self.request.user,
            meeting=form.cleaned_data["meeting"],
        )
        messages.success(
            self.request,
            _("Version %(number)s is recorded as approved by the steering group.")
            % {"number": version.number},
        )
        return redirect(version.get_absolute_url())

    def get_success_url(self):
        return self.get_version().get_absolute_url()
