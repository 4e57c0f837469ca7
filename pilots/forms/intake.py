"""Forms for how a municipality comes in: the public interest registration, the coordinators'
work on it, and creating a site directly."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import (
    InterestRegistration,
    Organisation,
    OrganisationKind,
    PilotSite,
    RegistrationNote,
    RegistrationStatus,
)
from ..models.intake import Scope
from ..services import PREFIX_PATTERN, STATUS_MOVES

MAX_SCHOOLS = 40
# Reserved: words that would read as part of Triad's own addresses under /sites/.
RESERVED_SLUGS = {"new", "create", "edit", "delete", "admin"}
phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-]{5,40}$",
    _("Give a phone number with digits, spaces and hyphens, e.g. 040-123 45 67."),
)


class InterestRegistrationForm(forms.ModelForm):
    """The public form: a municipality or region registers interest in the pre-study."""

    # A field a person never sees. Bots fill in every field they find; a filled one is the
    # sign of a bot, and the registration is discarded without telling it so.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = InterestRegistration
        fields = [
            "municipality_name",
            "region_name",
            "scope",
            "schools",
            "contact_name",
            "contact_title",
            "contact_organisation",
            "contact_email",
            "contact_phone",
            "local_needs",
            "consent_to_store",
        ]
        labels = {
            "municipality_name": _("Municipality"),
            "region_name": _("Region"),
            "scope": _("The registration covers"),
            "schools": _("Schools"),
            "contact_name": _("Name"),
            "contact_title": _("Title"),
            "contact_organisation": _("Organisation"),
            "contact_email": _("E-mail"),
            "contact_phone": _("Phone"),
            "local_needs": _("Local needs"),
            "consent_to_store": _(
                "I agree that the programme keeps my contact details to run the dialogue "
                "about our registration."
            ),
        }
        help_texts = {
            "municipality_name": _("E.g. Malmö."),
            "region_name": _("The region the municipality belongs to, e.g. Region Skåne."),
            "schools": _(
                "One school per line. If you register the whole municipality, you may name the "
                "schools you think of first, or leave this empty."
            ),
            "contact_organisation": _("Where you work, e.g. the education administration."),
            "contact_email": _(
                "We send a confirmation here, with a link to follow your registration."
            ),
            "local_needs": _(
                "What you see in your schools today, and what you hope the work will change. "
                "Do not write about individual children."
            ),
            "consent_to_store": _(
                "The details are used only for the dialogue with you about the registration, "
                "and are never shown to other applicants."
            ),
        }
        widgets = {
            "scope": forms.RadioSelect,
            "schools": forms.Textarea(attrs={"rows": 4}),
            "local_needs": forms.Textarea(attrs={"rows": 6}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "contact_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = Scope.choices
        self.fields["consent_to_store"].required = True
        self.fields["contact_phone"].validators.append(phone_validator)
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.helper = FormHelper()
        self.helper.form_id = "registration-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("Municipality and region"), "municipality_name", "region_name"),
            Fieldset(_("What you register"), "scope", "schools"),
            Fieldset(
                _("Contact person"),
                Div(
                    Div("contact_name", css_class="col-md-6"),
                    Div("contact_title", css_class="col-md-6"),
                    css_class="row",
                ),
                "contact_organisation",
                Div(
                    Div("contact_email", css_class="col-md-6"),
                    Div("contact_phone", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Your local needs"), "local_needs"),
            # Off-screen (static/css/triad.css) rather than display:none, which some bots skip;
            # hidden from readers.
            Div("website", css_class="triad-honeypot", aria_hidden="true"),
            "consent_to_store",
            Submit("submit", _("Send the registration")),
        )

    def clean_municipality_name(self):
        return " ".join(self.cleaned_data["municipality_name"].split())

    def clean_region_name(self):
        return " ".join(self.cleaned_data["region_name"].split())

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"].strip().lower()

    def clean_schools(self):
        names, seen = [], set()
        for line in self.cleaned_data.get("schools", "").splitlines():
            name = " ".join(line.split()).strip(" ,;-•*")
            if name and name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
        if len(names) > MAX_SCHOOLS:
            raise forms.ValidationError(
                _("Name at most %(count)d schools; describe the rest under local needs.")
                % {"count": MAX_SCHOOLS}
            )
        if any(len(name) > 150 for name in names):
            raise forms.ValidationError(_("A school's name can be at most 150 characters."))
        return "\n".join(names)

    def clean(self):
        data = super().clean()
        if data.get("scope") == Scope.SCHOOLS and not data.get("schools"):
            self.add_error(
                "schools",
                _("Name the schools, one per line — or choose the whole municipality."),
            )
        return data

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


class RegistrationFilter(django_filters.FilterSet):
    """The coordinators' queue: by status, or by a word from the name, region or contact."""

    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = InterestRegistration
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(municipality_name__icontains=value)
            | Q(region_name__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(contact_organisation__icontains=value)
            | Q(contact_email__icontains=value)
        )


class RegistrationNoteForm(forms.ModelForm):
    """A note from the dialogue with the applicant (a call, a meeting, an e-mail)."""

    class Meta:
        model = RegistrationNote
        fields = ["text"]
        labels = {"text": _("New note")}
        help_texts = {"text": _("What was said or agreed, and what happens next.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the note first."))
        return text


class RegistrationStatusForm(forms.Form):
    """Move a registration on: into dialogue, declined, or reopened."""

    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=pgettext_lazy("written note", "Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why, in a sentence. Kept with the dialogue notes."),
    )

    def __init__(self, *args, registration: InterestRegistration, **kwargs):
        self.registration = registration
        super().__init__(*args, **kwargs)
        moves = STATUS_MOVES[RegistrationStatus(registration.status)]
        self.fields["status"].choices = [
            (value, label) for value, label in RegistrationStatus.choices if value in moves
        ]

    def clean(self):
        data = super().clean()
        if data.get("status") == RegistrationStatus.DECLINED and not data.get("note", "").strip():
            self.add_error("note", _("Say briefly why the registration is declined."))
        return data


def _validate_slug(slug):
    if slug in RESERVED_SLUGS:
        raise forms.ValidationError(_("This address is reserved; choose another."))
    if PilotSite.objects.filter(slug__iexact=slug).exists():
        raise forms.ValidationError(_("Another site already has this address."))


def _validate_prefix(prefix):
    if not PREFIX_PATTERN.match(prefix):
        raise forms.ValidationError(
            _("Use 2–6 capital letters or digits, starting with a letter, e.g. MAL.")
        )
    if PilotSite.objects.filter(case_code_prefix__iexact=prefix).exists():
        raise forms.ValidationError(_("Another site already uses this prefix."))


class SiteIdentityFields(forms.Form):
    """A new site's name, address and case-code prefix; the address and prefix are unique."""

    name = forms.CharField(label=_("Name of the site"), max_length=150)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, e.g. malmo. It cannot be changed."),
    )
    case_code_prefix = forms.CharField(
        label=_("Case code prefix"),
        max_length=6,
        help_text=_("Starts every case code at this site, e.g. MAL in MAL-2018-007."),
    )

    def clean_slug(self):
        slug = slugify(self.cleaned_data["slug"])
        _validate_slug(slug)
        return slug

    def clean_case_code_prefix(self):
        prefix = self.cleaned_data["case_code_prefix"].strip().upper()
        _validate_prefix(prefix)
        return prefix


class AcceptRegistrationForm(SiteIdentityFields):
    """Confirm the new site's name, address and prefix before accepting a registration."""


class SiteCreateForm(SiteIdentityFields):
    """A site that did not come through a registration (e.g. one that joined by agreement)."""

    municipality = forms.CharField(label=_("Municipality"), max_length=200)
    region = forms.CharField(label=_("Region"), max_length=200)

    field_order = ["name", "municipality", "region", "slug", "case_code_prefix"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Lower-case letters, digits and hyphens, e.g. malmo. Leave empty to make one from "
            "the name."
        )
        self.fields["case_code_prefix"].required = False
        self.fields["case_code_prefix"].help_text = _(
            "Starts every case code at this site, e.g. MAL. Leave empty to take the first "
            "letters of the name."
        )
        self.fields["municipality"].widget.attrs["list"] = "known-municipalities"
        self.fields["region"].widget.attrs["list"] = "known-regions"
        self.fields["municipality"].help_text = _("An existing one is reused; a new one is added.")

    def clean_slug(self):
        slug = slugify(self.cleaned_data.get("slug") or "")
        if slug:
            _validate_slug(slug)
        return slug

    def clean_case_code_prefix(self):
        prefix = (self.cleaned_data.get("case_code_prefix") or "").strip().upper()
        if prefix:
            _validate_prefix(prefix)
        return prefix

    def clean_municipality(self):
        return " ".join(self.cleaned_data["municipality"].split())

    def clean_region(self):
        return " ".join(self.cleaned_data["region"].split())

    @staticmethod
    def known(kind):
        return (
            Organisation.objects.filter(kind=kind, parent=None)
            .order_by("name")
            .values_list("name", flat=True)
        )

    def known_municipalities(self):
        return self.known(OrganisationKind.MUNICIPALITY)

    def known_regions(self):
        return self.known(OrganisationKind.REGION)
