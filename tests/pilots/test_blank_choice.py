"""A select's empty choice says what it means (infra.forms.NamedBlankChoice)."""

from django import forms
from django.utils import translation

from infra.forms import NamedBlankChoice

SIZES = [("s", "Liten"), ("l", "Stor")]


class SizeForm(NamedBlankChoice, forms.Form):
    size = forms.TypedChoiceField(choices=[("", "---------"), *SIZES], required=False)
    plain = forms.ChoiceField(choices=SIZES)
    own = forms.ChoiceField(choices=[("", "— ingen storlek —"), *SIZES], required=False)


def test_dashes_become_choose_and_the_rest_stays():
    with translation.override("sv"):
        form = SizeForm()
        assert list(form.fields["size"].choices) == [("", "— välj —"), *SIZES]
        assert list(form.fields["plain"].choices) == SIZES
        assert list(form.fields["own"].choices)[0] == ("", "— ingen storlek —")
        assert '<option value="" selected>— välj —</option>' in str(form["size"])


def test_a_model_choice_keeps_an_empty_label_of_its_own(db):
    from pilots.models import School

    class SchoolChoice(NamedBlankChoice, forms.Form):
        school = forms.ModelChoiceField(School.objects.all(), required=False)
        named = forms.ModelChoiceField(School.objects.all(), empty_label="— ingen skola —")

    with translation.override("sv"):
        form = SchoolChoice()
        assert form.fields["school"].empty_label == "— välj —"
        assert form.fields["named"].empty_label == "— ingen skola —"
