"""Forms for inviting people to a role and for accepting an invitation."""

from decimal import Decimal

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from pilots.models import Actor, Membership, OrganisationKind, PilotSite, Role, User
from pilots.models.memberships import SET_ASIDE_ACTORS

from ..models import Invitation
from ..services import InvitationState, invitations_in_state

MAX_HOURS_PER_WEEK = Decimal(40)


class SiteOrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.kind == OrganisationKind.UNIT:
            return str(obj)
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class MembershipField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.user} – {obj.get_role_display()}"
        if obj.title:
            label += f", {obj.title}"
        return label


class InvitationForm(forms.ModelForm):
    """Invite a person by e-mail to a role at one site. Every choice is the site's own."""

    organisation = SiteOrganisationField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("— choose —"),
        help_text=_("Where the person works: the municipality, the region or a unit in them."),
    )
    succeeds = MembershipField(
        label=_("Succeeds"),
        queryset=None,
        required=False,
        empty_label=_("— nobody, a new place —"),
        help_text=_("If the person takes over someone's place, the history shows the handover."),
    )

    class Meta:
        model = Invitation
        fields = [
            "email",
            "full_name",
            "role",
            "actor",
            "organisation",
            "title",
            "hours_per_week",
            "succeeds",
        ]
        labels = {"full_name": _("Name"), "title": _("Role title")}
        help_texts = {
            "email": _("The invitation link goes to this address, and it becomes their login."),
            "full_name": _("Used to greet them; they can correct it when they accept."),
            "actor": _(
                "Which of the three actors the person comes from. Required for the working "
                "group and the steering group."
            ),
            "title": _("E.g. school counsellor, social worker, child psychologist."),
            "hours_per_week": _(
                "Time set aside each week to work at the school (social services and healthcare)."
            ),
        }

    def __init__(self, *args, site: PilotSite, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)
        self.instance.site = site
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["role"].required = True
        self.fields["role"].choices = Role.choices
        self.fields["role"].widget = forms.RadioSelect(choices=Role.choices)
        self.fields["actor"].choices = [("", _("— choose —")), *Actor.choices]
        self.fields["organisation"].queryset = (
            site.organisations().select_related("parent").order_by("kind", "name")
        )
        self.fields["succeeds"].queryset = (
            Membership.objects.filter(site=site).select_related("user").order_by("user__full_name")
        )
        self.fields["hours_per_week"].widget.attrs.update(step="0.5", min="0", max="40")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_hours_per_week(self):
        hours = self.cleaned_data.get("hours_per_week")
        if hours is not None and not (0 <= hours <= MAX_HOURS_PER_WEEK):
            raise forms.ValidationError(_("Give the hours as a number from 0 to 40."))
        return hours

    def clean(self):
        data = super().clean()
        email, role = data.get("email"), data.get("role")
        actor, organisation = data.get("actor"), data.get("organisation")
        succeeds = data.get("succeeds")
        # The querysets already narrow the choices to the site; this re-checks on save.
        if organisation and not self.site.organisations().filter(pk=organisation.pk).exists():
            self.add_error("organisation", _("Choose one of the site's own organisations."))
        if succeeds and succeeds.site_id != self.site.pk:
            self.add_error("succeeds", _("Choose a member of this site."))
        if organisation and organisation.actor and not actor:
            data["actor"] = actor = organisation.actor
        if organisation and organisation.actor and actor and organisation.actor != actor:
            self.add_error(
                "organisation",
                _("%(organisation)s belongs to %(actor)s; choose the matching actor.")
                % {"organisation": organisation.name, "actor": organisation.get_actor_display()},
            )
        if role in (Role.WORKING, Role.STEERING) and not actor:
            self.add_error("actor", _("Say which of the three actors the person comes from."))
        if data.get("hours_per_week") is not None and actor not in SET_ASIDE_ACTORS:
            self.add_error(
                "hours_per_week",
                _(
                    "Hours set aside are recorded for the social-services and healthcare "
                    "persons who work at the school."
                ),
            )
        if email and role:
            already = Membership.objects.active().filter(
                site=self.site, role=role, user__email__iexact=email
            )
            if already.exists():
                self.add_error(
                    "email",
                    _("This person already is %(role)s at this site.")
                    % {"role": Role(role).label.lower()},
                )
            waiting = invitations_in_state(
                self.site.invitations.filter(email__iexact=email, role=role),
                InvitationState.PENDING,
            )
            if waiting.exists():
                self.add_error(
                    "email",
                    _(
                        "This person already has an invitation to this role waiting for an "
                        "answer. Send it again from the list of invitations if it got lost."
                    ),
                )
        return data


class CoordinatorInvitationForm(forms.ModelForm):
    """Invite a person to be a national coordinator of the programme."""

    class Meta:
        model = Invitation
        fields = ["email", "full_name"]
        labels = {"full_name": _("Name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.as_coordinator = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email, is_coordinator=True).exists():
            raise forms.ValidationError(_("This person already is a national coordinator."))
        waiting = invitations_in_state(
            Invitation.objects.filter(email__iexact=email, as_coordinator=True),
            InvitationState.PENDING,
        )
        if waiting.exists():
            raise forms.ValidationError(
                _("This person already has an invitation waiting for an answer.")
            )
        return email


class NewPersonForm(forms.Form):
    """A person new to Triad accepts an invitation: their name and a password of their own."""

    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs):
        self.invitation = invitation
        kwargs.setdefault("initial", {"full_name": invitation.full_name})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif password1:
            # Checked against the person's own name and address, as Django's validators do.
            candidate = User(email=self.invitation.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if User.objects.filter(email__iexact=self.invitation.email).exists():
            raise forms.ValidationError(
                _("There already is an account for this address. Sign in to accept.")
            )
        return data


class EnrolmentCodeForm(forms.Form):
    """The code sent to the account's e-mail before a new second factor (accounts/enrolment.py)."""

    code = forms.CharField(
        label=_("Code from the e-mail"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )


class FindPersonForm(forms.Form):
    """A coordinator finds the person who asked for their data (GDPR art. 15)."""

    email = forms.EmailField(label=_("The person's e-mail address"), max_length=254)
