"""How a site's charts are read, chosen by its project lead."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from pilots.scoping import SiteViewMixin

from ..forms import ChartSettingsForm
from ..models import ChartSettings, SummaryPdf


class ChartSettingsView(SiteViewMixin, UpdateView):
    """The project lead chooses how the site's charts are read: the rule set, a frozen baseline
    and the test whose start splits them. The site's PDFs are drawn again with the choice."""

    permission = "can_manage"
    form_class = ChartSettingsForm
    template_name = "dashboards/chart_settings.html"

    def get_object(self, queryset=None):
        return ChartSettings.objects.filter(site=self.site).first() or ChartSettings(site=self.site)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def form_valid(self, form):
        form.instance.site = self.site
        form.save()
        SummaryPdf.objects.filter(summary__site=self.site).delete()
        messages.success(self.request, _("The charts are read as you chose."))
        return redirect("dashboards:site", site_slug=self.site.slug)
