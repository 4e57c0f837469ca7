"""The forms of vignettes: the vignette with its stages, and a site's answer per actor."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from infra.pnr import validate_no_personal_number
from pilots.models import Actor

from ..models import Vignette, VignetteStage
from .fields import CheckedInlineFormSet


class VignetteForm(forms.ModelForm):
    class Meta:
        model = Vignette
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, site=None, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)

    def clean_title(self):
        title = self.cleaned_data["title"]
        others = Vignette.objects.filter(site=self.site, title__iexact=title)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("There is already a vignette with this title."))
        return title


class StageForm(forms.ModelForm):
    class Meta:
        model = VignetteStage
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


StageFormSet = inlineformset_factory(
    Vignette,
    VignetteStage,
    form=StageForm,
    formset=CheckedInlineFormSet,
    extra=2,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class ResponseForm(forms.Form):
    """What each actor would do at each stage: one text per stage and actor."""

    def __init__(self, *args, stages, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = stages
        for stage in stages:
            for actor, label in Actor.choices:
                name = self.field_name(stage, actor)
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    validators=[validate_no_personal_number],
                )
                response = existing.get((stage.pk, actor))
                if response:
                    self.initial[name] = response.text

    @staticmethod
    def field_name(stage, actor):
        return f"stage-{stage.pk}-{actor}"

    def rows(self):
        """Per stage, its three fields (for the template)."""
        return [
            (stage, [self[self.field_name(stage, actor)] for actor in Actor.values])
            for stage in self.stages
        ]
