"""The schools chosen for the work at a site."""

import django_tables2 as tables
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, TemplateView, UpdateView

from ..forms.sites import SchoolForm
from ..models import School
from ..scoping import SiteViewMixin
from .sites import FormPageMixin, SiteTable


class SchoolTable(SiteTable):
    name = tables.Column(verbose_name=gettext_lazy("School"))
    school_type = tables.Column(verbose_name=gettext_lazy("School type"))
    pupils = tables.Column(
        verbose_name=gettext_lazy("Pupils"),
        default="–",
        attrs={"th": {"class": "text-end"}, "td": {"class": "text-end"}},
    )
    edit = tables.TemplateColumn(
        template_name="pilots/includes/school_actions.html",
        verbose_name=gettext_lazy("Actions"),
        orderable=False,
        attrs={"th": {"class": "text-end"}, "td": {"class": "text-end text-nowrap"}},
    )

    class Meta(SiteTable.Meta):
        model = School
        fields = ["name", "school_type", "pupils"]
        orderable = False


class SchoolListView(SiteViewMixin, TemplateView):
    """The schools taking part, and those that have left the work."""

    template_name = "pilots/school_list.html"

    def get_context_data(self, **kwargs):
        schools = list(self.site.schools.order_by("name"))
        active = [s for s in schools if s.is_active]
        former = [s for s in schools if not s.is_active]
        exclude = () if self.access.can_manage() else ("edit",)
        return super().get_context_data(
            active_table=SchoolTable(
                active,
                caption=_("Schools taking part"),
                exclude=exclude,
            )
            if active
            else None,
            former_table=SchoolTable(
                former,
                caption=_("Schools that have left the work"),
                exclude=exclude,
            )
            if former
            else None,
            **kwargs,
        )


class SchoolFormMixin(SiteViewMixin, FormPageMixin):
    permission = "can_manage"
    model = School
    form_class = SchoolForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_success_url(self):
        return reverse("pilots:school_list", kwargs={"site_slug": self.site.slug})

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("%(name)s is saved.") % {"name": self.object.name})
        return response


class SchoolCreateView(SchoolFormMixin, CreateView):
    page_title = gettext_lazy("Add a school")
    submit_label = gettext_lazy("Add the school")
    intro = gettext_lazy(
        "A school where student health, social services and healthcare will work together."
    )


class SchoolUpdateView(SchoolFormMixin, UpdateView):
    page_title = gettext_lazy("Edit the school")
    submit_label = gettext_lazy("Save the school")

    def get_object(self, queryset=None):
        return get_object_or_404(self.site.schools, pk=self.kwargs["pk"])


class SchoolLeaveView(SiteViewMixin, TemplateView):
    """Confirm, then mark a school as no longer part of the work (its history stays)."""

    permission = "can_manage"
    template_name = "pilots/school_leave.html"

    def get_school(self):
        return get_object_or_404(self.site.schools, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(school=self.get_school(), **kwargs)

    def post(self, request, *args, **kwargs):
        school = self.get_school()
        if school.is_active:
            school.is_active = False
            school.save(update_fields=["is_active"])
            messages.success(
                request,
                _("%(name)s is no longer part of the work. Its history stays.")
                % {"name": school.name},
            )
        return redirect("pilots:school_list", site_slug=self.site.slug)
