"""The material library: the programme's (/exchange/library/) and each site's
(/sites/<site_slug>/library/). Files are served only to those who may see them, and always as
attachments, so a browser never renders an uploaded file as a page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from infra.kept import KeptBodyMixin
from infra.uploads import serve_file

from ..forms import LibraryItemForm, LibrarySearchForm
from ..models import LibraryItem
from .access import SiteOrProgrammeMixin


def may_add(view) -> bool:
    """Coordinators add to any library; a site's leads and working-group members to theirs."""
    if view.request.user.is_coordinator:
        return True
    return view.site is not None and view.access.can_work()


class LibraryListView(SiteOrProgrammeMixin, KeptBodyMixin, TemplateView):
    """The library, searched and a page at a time: drawn once per reader and search, and kept
    until the programme's data changes (infra/kept.py)."""

    template_name = "exchange/library.html"
    body_template = "exchange/includes/library_body.html"
    paginate_by = 25

    def body_context(self):
        search = LibrarySearchForm(self.request.GET or None, user=self.request.user)
        items = search.filter(self.here(LibraryItem)).select_related(
            "workshop", "created_by", "site"
        )
        page = Paginator(items, self.paginate_by).get_page(self.request.GET.get("page"))
        return {
            "items": page.object_list,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "search": search,
            "can_add": may_add(self),
            "create_url": self.url("library_create"),
        }


class LibraryCreateView(SiteOrProgrammeMixin, FormView):
    form_class = LibraryItemForm
    template_name = "exchange/form.html"

    def get(self, request, *args, **kwargs):
        if not may_add(self):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not may_add(self):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        heading = (
            _("Add to the library of %(site)s") % {"site": self.site.name}
            if self.site
            else _("Add to the programme's library")
        )
        return super().get_context_data(
            heading=heading, back_url=self.url("library_list"), **kwargs
        )

    def form_valid(self, form):
        item = form.save(commit=False)
        item.site = self.site
        item.created_by = self.request.user
        upload = form.cleaned_data.get("file")
        if upload:
            item.original_name = upload.name[-255:]
            item.size = upload.size
        item.save()
        messages.success(self.request, _("“%(title)s” is in the library.") % {"title": item})
        return redirect(self.url("library_list"))


class LibraryDownloadView(SiteOrProgrammeMixin, View):
    """A library file, to those who may see it, as an attachment."""

    def get(self, request, **kwargs):
        items = self.here(LibraryItem)
        item = get_object_or_404(items.exclude(file=""), pk=kwargs["pk"])
        return serve_file(item.file, item.original_name or item.file.name.rsplit("/", 1)[-1])
