"""A person's own data (GDPR art. 15): every signed-in person downloads what Triad holds about
them, as a PDF and as JSON; a coordinator produces it for a person who asks (case codes then as
counts, accounts/owndata.py). Each download is a line in the security audit record."""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from infra import audit
from infra.models import AuditKind
from infra.uploads import serve_file
from pilots.scoping import CoordinatorRequiredMixin

from . import owndata
from .forms import FindPersonForm

FORMATS = ("pdf", "json")


class OwnDataMixin:
    """GET: the page; GET ?format=pdf|json: the file."""

    for_coordinator = False

    def person(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt not in FORMATS:
            return super().get(request, *args, **kwargs)
        person = self.person()
        copy = owndata.collect(person, for_coordinator=self.for_coordinator)
        if fmt == "pdf":
            content = owndata.as_pdf(copy)
        else:
            content = json.dumps(owndata.as_json(copy), ensure_ascii=False, indent=2).encode()
        audit.record(
            AuditKind.PERSONAL_DATA,
            request,
            detail={"format": fmt, "person": person.pk, "by_coordinator": self.for_coordinator},
        )
        name = f"triad-uppgifter-{person.pk}-{timezone.localdate().isoformat()}.{fmt}"
        return serve_file(ContentFile(content, name=name), name)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person(), **kwargs)


class OwnDataView(LoginRequiredMixin, OwnDataMixin, TemplateView):
    """The signed-in person's own data."""

    template_name = "accounts/own_data.html"

    def person(self):
        return self.request.user


class PersonDataView(CoordinatorRequiredMixin, OwnDataMixin, TemplateView):
    """A coordinator produces the copy for a person who asks (case codes as counts)."""

    template_name = "accounts/own_data.html"
    for_coordinator = True

    @cached_property
    def _person(self):
        return get_object_or_404(get_user_model(), pk=self.kwargs["pk"])

    def person(self):
        return self._person


class FindPersonView(CoordinatorRequiredMixin, TemplateView):
    """The coordinators find the person who asked for their data, by e-mail address."""

    template_name = "accounts/find_person.html"

    def get_context_data(self, **kwargs):
        form = FindPersonForm(self.request.GET or None)
        found = None
        if form.is_valid():
            found = (
                get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
            )
        return super().get_context_data(form=form, found=found, **kwargs)
