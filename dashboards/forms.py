"""The project lead's choice of how the site's charts are read."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.fields import SiteFormMixin
from cases.models import PracticalTest

from .models import ChartSettings


class ChartSettingsForm(SiteFormMixin, forms.ModelForm):
    class Meta:
        model = ChartSettings
        fields = ["rules", "baseline_points", "split_test"]
        widgets = {"rules": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The site's own tests only, first started first.
        self.fields["split_test"].queryset = PracticalTest.objects.filter(site=self.site).order_by(
            "starts_on", "pk"
        )
        self.fields["split_test"].empty_label = _("No split")
        self.fields["baseline_points"].min_value = 10
        self.fields["baseline_points"].widget.attrs["min"] = 10

    def clean_baseline_points(self):
        value = self.cleaned_data["baseline_points"]
        if value is not None and value < 10:
            raise forms.ValidationError(_("A baseline needs at least 10 points."))
        return value

    def clean_split_test(self):
        test = self.cleaned_data["split_test"]
        if test is not None and test.site_id != self.site.pk:
            raise forms.ValidationError(_("Choose a test of this site."))
        return test
