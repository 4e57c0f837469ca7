from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from infra.forms import DateTimeField, ModelMultipleChoiceField, NamedBlankChoice
from infra.uploads import ACCEPTED_EXTENSIONS, MAX_UPLOAD_BYTES, check_upload
from pilots.models import Role, User

from . import linking
from .models import Deliverable, DeliveryStatus, Material, Programme, ReminderKind, Workshop


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _helper(label, *, multipart=False):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    if multipart:
        helper.attrs = {"enctype": "multipart/form-data"}
    return helper


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "description", "sites", "case_retention_days"]
        field_classes = {"sites": ModelMultipleChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "sites": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save programme"))


class WorkshopForm(forms.ModelForm):
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("For those who join online, e.g. a Teams or Zoom meeting."),
    )
    invited_roles = forms.MultipleChoiceField(
        label=_("Invited roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which people of each site are invited."),
    )

    class Meta:
        model = Workshop
        fields = [
            "number",
            "title",
            "theme",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "agenda",
            "invited_roles",
            "seats_per_site",
            "registration_opens_at",
            "registration_closes_at",
            "is_published",
        ]
        widgets = {
            "theme": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_opens_at": DateTimeInput(),
            "registration_closes_at": DateTimeInput(),
        }
        field_classes = dict.fromkeys(
            ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"],
            DateTimeField,
        )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        if not self.instance.pk:
            self.initial.setdefault("invited_roles", [Role.LEAD, Role.WORKING])
            self.initial.setdefault("number", programme.workshops.count() + 1)
        self.helper = _helper(_("Save workshop"))

    def clean_number(self):
        number = self.cleaned_data["number"]
        clash = self.programme.workshops.filter(number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                _("This programme already has a workshop number %(n)s."), params={"n": number}
            )
        return number

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The workshop must end after it starts."))
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if starts and closes and closes > starts:
            self.add_error(
                "registration_closes_at", _("Registration must close before the workshop starts.")
            )
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give a place, an online link, or both."))
        return data


class UploadField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("PDF, Office or OpenDocument files, images or text; at most %(mb)s MB.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(f".{e}" for e in ACCEPTED_EXTENSIONS.split(", "))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            check_upload(upload)
        return upload


class MaterialForm(forms.ModelForm):
    file = UploadField(label=_("File"))

    class Meta:
        model = Material
        fields = ["title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Upload material"), multipart=True)


class DeliverableForm(NamedBlankChoice, forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = ["kind", "title", "description", "due_at"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "due_at": DateTimeInput()}
        field_classes = {"due_at": DateTimeField}

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.instance.workshop = workshop
        self.helper = _helper(_("Save deliverable"))

    def clean_title(self):
        title = self.cleaned_data["title"]
        clash = self.workshop.deliverables.filter(title=title).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("This workshop already asks for something with that title."))
        return title

    def clean_due_at(self):
        due = self.cleaned_data["due_at"]
        if due and due > self.workshop.starts_at:
            raise ValidationError(_("The work must be due before the workshop starts."))
        return due


class SelfRegistrationForm(forms.Form):
    """Registering oneself; a person invited through several sites says which one they come for."""

    site = forms.ModelChoiceField(label=_("I come for"), queryset=None, empty_label=None)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class SiteRegistrationForm(forms.Form):
    """A project lead registers people of their site."""

    people = ModelMultipleChoiceField(
        label=_("People to register"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one person.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = candidates
        self.fields["people"].label_from_instance = lambda u: f"{u.full_name or u.email}"


class DeliveryForm(forms.Form):
    """Deliver by linking one of the site's objects in Triad, or by uploading a file."""

    linked = forms.ChoiceField(label=_("Link from Triad"), required=False)
    upload = UploadField(label=_("…or upload a file"), required=False)
    note = forms.CharField(
        label=_("Note to the coordinators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, site, deliverable, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.deliverable = deliverable
        options = linking.choices(site, deliverable.kind)
        self.fields["linked"].choices = [("", _("— nothing linked —")), *options]
        self.fields["linked"].help_text = (
            _("Pick the plan, analysis or test as it stands in Triad.")
            if options
            else _("Your site has nothing in Triad that fits yet; upload a file instead.")
        )
        self.helper = _helper(_("Deliver"), multipart=True)

    def clean(self):
        data = super().clean()
        value, upload = data.get("linked"), data.get("upload")
        if self.errors:
            return data
        if value and upload:
            raise ValidationError(_("Link something or upload a file, not both."))
        if not value and not upload:
            raise ValidationError(_("Link something from Triad or upload a file."))
        if value:
            # Re-check against the site: a forged value for another site's object finds nothing.
            obj = linking.resolve(self.site, self.deliverable.kind, value)
            if obj is None:
                self.add_error("linked", _("Choose one of your site's items."))
            data["linked_object"] = obj
        return data


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (DeliveryStatus.ACCEPTED, _("Accept")),
            (DeliveryStatus.NEEDS_REVISION, _("Send back for revision")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the site"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Required when you send it back: say what needs to change."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save review"))

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == DeliveryStatus.NEEDS_REVISION
            and not data.get("comment", "").strip()
        ):
            self.add_error("comment", _("Say what needs to change, so the site can revise it."))
        return data


class ReminderSettingsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("E-mail me when"),
        choices=ReminderKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Untick what you do not want. Reminders about your site's work go to project leads only."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save reminder settings"))


def workshop_field(field, user):
    """A choice of workshops the person may see, each under its programme's name
    ("Utvecklingsarbetet 2018 — 2. Projektplaner…"): two programmes both have a workshop 2."""
    field.queryset = (
        Workshop.objects.restrict(user)
        .select_related("programme")
        .order_by("programme__name", "programme_id", "number", "starts_at")
    )
    field.label_from_instance = lambda w: (
        _("%(programme)s — %(workshop)s")
        % {
            "programme": w.programme.name,
            "workshop": w,
        }
    )
    return field
