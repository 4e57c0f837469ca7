from django import forms

from ..models import ProcessingStatement


class ProcessingStatementForm(forms.ModelForm):
    """The coordinators' statement of what Triad processes (free text, guarded for numbers)."""

    class Meta:
        model = ProcessingStatement
        fields = [
            "controller",
            "purposes",
            "categories",
            "legal_basis",
            "other_retention",
            "dpo_contact",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}
