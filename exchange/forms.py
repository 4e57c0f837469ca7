from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import PracticalTest, Vignette
from cases.models.choices import StartingPoint
from infra.forms import ModelMultipleChoiceField, NamedBlankChoice
from infra.pnr import validate_no_personal_number
from pilots.access import sites_of
from pilots.models import PilotSite, Role
from workshops.forms import UploadField, workshop_field
from workshops.models import Workshop

from .models import Announcement, DigestPreference, LibraryItem, Post, Thread


def _helper(label, *, multipart=False):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    if multipart:
        helper.attrs = {"enctype": "multipart/form-data"}
    return helper


class AnnouncementForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("To these roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to reach every role."),
    )

    class Meta:
        model = Announcement
        fields = ["title", "body", "all_sites", "sites", "roles", "pinned", "send_email"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8}), "sites": forms.CheckboxSelectMultiple}
        field_classes = {"sites": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = PilotSite.objects.order_by("name")
        self.helper = _helper(_("Publish"))

    def clean(self):
        data = super().clean()
        if not data.get("all_sites") and not data.get("sites"):
            self.add_error("sites", _("Choose the sites, or send it to every site."))
        return data


class ThreadForm(NamedBlankChoice, forms.ModelForm):
    """A new thread with its opening post. The subjects offered are only those the person may
    see: workshops of their programmes, tests and vignettes of their sites (or this site)."""

    body = forms.CharField(
        label=_("Your post"),
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_no_personal_number],
        help_text=Post._meta.get_field("body").help_text,
    )

    class Meta:
        model = Thread
        fields = ["title", "workshop", "practical_test", "vignette"]

    def __init__(self, *args, user, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        workshop_field(self.fields["workshop"], user)
        # At a site, the programme's vignettes and the site's own; elsewhere all the person's.
        vignettes = Vignette.objects.restrict(user)
        if site is not None:
            tests = PracticalTest.objects.filter(site=site)
            vignettes = vignettes.filter(Q(site__isnull=True) | Q(site=site))
        elif user.is_coordinator:
            tests = PracticalTest.objects.all()
        else:
            tests = PracticalTest.objects.filter(site__in=sites_of(user))
        self.fields["practical_test"].queryset = tests.select_related("site").order_by(
            "site__name", "title"
        )
        self.fields["practical_test"].label_from_instance = lambda t: f"{t.site.name}: {t}"
        self.fields["vignette"].queryset = vignettes.order_by("title")
        for name in ("workshop", "practical_test", "vignette"):
            self.fields[name].required = False
        self.fields["practical_test"].help_text = _(
            "Its plan and results are shown in the thread; its cases never are."
        )
        self.order_fields(["title", "body", "workshop", "practical_test", "vignette"])
        self.helper = _helper(_("Start the thread"))


class ReplyForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["body"]
        labels = {"body": _("Your reply")}
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Reply"))


class HideForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["hidden_reason"]
        labels = {"hidden_reason": _("Why it is hidden (the author sees this)")}
        widgets = {"hidden_reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden_reason"].required = True
        self.helper = _helper(_("Hide the post"))


class DigestForm(forms.ModelForm):
    class Meta:
        model = DigestPreference
        fields = ["frequency"]
        labels = {"frequency": _("E-mail me what is new in the threads I follow")}
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class LibraryItemForm(NamedBlankChoice, forms.ModelForm):
    file = UploadField(label=_("File"), required=False)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = LibraryItem
        fields = ["title", "description", "file", "url", "starting_points", "workshop"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        workshop_field(self.fields["workshop"], user)
        self.helper = _helper(_("Add to the library"), multipart=True)

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Upload a file or give a link (one of them)."))
        return data


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    starting_point = forms.ChoiceField(
        label=_("Starting point"),
        choices=[("", _("Every starting point")), *StartingPoint.choices],
        required=False,
    )
    workshop = forms.ModelChoiceField(
        label=_("Workshop"), queryset=Workshop.objects.none(), required=False,
        empty_label=_("Any workshop"),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        workshop_field(self.fields["workshop"], user)

    def filter(self, items):
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data["starting_point"]:
            items = items.serving(data["starting_point"])
        if data["workshop"]:
            items = items.filter(workshop=data["workshop"])
        return items.search(data["q"])
