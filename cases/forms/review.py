"""The project lead's (or coordinator's) judgement of reads drawn for the access review."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import AccessReviewItem, Verdict


class ReviewItemForm(forms.ModelForm):
    """Justified or not, with a note (free text: the identity-number guard applies)."""

    class Meta:
        model = AccessReviewItem
        fields = ["verdict", "note"]
        widgets = {
            "verdict": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].required = True
        self.fields["verdict"].choices = Verdict.choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verdict") == Verdict.UNJUSTIFIED and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say what was not justified and what is done about it."))
        # A judged read says when (a constraint the model's validation checks next).
        self.instance.reviewed_at = self.instance.reviewed_at or timezone.now()
        return cleaned


class CoordinatorReviewForm(forms.Form):
    """The coordinators' judgement of a lead's own reads, given as counts."""

    verdict = forms.ChoiceField(
        label=_("Judgement"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=pgettext_lazy("written note", "Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    person = forms.CharField(widget=forms.HiddenInput, max_length=254)

    def clean(self):
        cleaned = super().clean()
        if "person" in self.errors:  # hidden: say it where the form shows its own errors
            self.add_error(None, _("Choose whose reads you judge."))
        if cleaned.get("verdict") == Verdict.UNJUSTIFIED and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say what was not justified and what is done about it."))
        return cleaned
