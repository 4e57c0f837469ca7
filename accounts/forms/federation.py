"""Forms for signing in through an organisation's identity provider, and for connecting one."""

import re

from django import forms
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from pilots.models import Organisation

from ..federation import email_domain
from ..models import ConnectionDomain, IdentityConnection, IdentityProtocol

MAX_METADATA_BYTES = 512 * 1024
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class FederatedLoginForm(forms.Form):
    """The address a person types to sign in through their organisation."""

    email = forms.EmailField(label=_("Your work e-mail address"), max_length=254)

    def clean_email(self):
        from ..federation import connection_for_email

        email = self.cleaned_data["email"]
        self.connection = connection_for_email(email)
        if self.connection is None:
            raise forms.ValidationError(
                _(
                    "Your organisation does not sign in to Triad through its own accounts "
                    "(yet). Sign in with your e-mail address and password instead."
                )
            )
        return email


class IdentityConnectionForm(forms.ModelForm):
    """Connect an organisation's identity provider: SAML 2.0 by its metadata (an address or a
    file) or OpenID Connect by issuer, client id and secret. Saving writes the allauth
    SocialApp the connection owns."""

    email_domains = forms.CharField(
        label=_("E-mail domains"),
        help_text=_("The domains of the organisation's addresses, e.g. malmo.se, one per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    metadata_url = forms.URLField(
        label=_("Metadata address (SAML)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    metadata_file = forms.FileField(label=_("Metadata file (SAML)"), required=False)
    issuer = forms.URLField(
        label=_("Issuer (OpenID Connect)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("E.g. https://login.microsoftonline.com/TENANT-ID/v2.0 for Entra ID"),
    )
    client_id = forms.CharField(
        label=_("Client id (OpenID Connect)"), required=False, max_length=191
    )
    secret = forms.CharField(
        label=_("Client secret (OpenID Connect)"),
        required=False,
        max_length=191,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the secret already saved."),
    )

    class Meta:
        model = IdentityConnection
        fields = ["organisation", "name", "slug", "protocol", "trust_email", "mfa_values"]
        widgets = {"mfa_values": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.select_related("parent")
        self.fields["organisation"].empty_label = _("— choose —")
        self.fields["protocol"].choices = [("", _("— choose —")), *IdentityProtocol.choices]
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Letters, digits and hyphens; made from the name if empty."
        )
        if self.instance.pk:
            # People's links name the connection by it (SocialAccount.provider).
            self.fields["slug"].disabled = True
            self.fields["email_domains"].initial = "\n".join(
                self.instance.domains.values_list("domain", flat=True)
            )
            app = self.instance.app
            if self.instance.protocol == IdentityProtocol.OIDC:
                self.fields["issuer"].initial = app.settings.get("server_url", "")
                self.fields["client_id"].initial = app.client_id
            else:
                self.fields["metadata_url"].initial = app.settings.get("idp", {}).get(
                    "metadata_url", ""
                )

    def clean_slug(self):
        if self.instance.pk:
            return self.instance.slug
        slug = slugify(self.cleaned_data.get("slug") or self.cleaned_data.get("name") or "")[:40]
        if not slug:
            slug = "idp"
        others = IdentityConnection.objects.exclude(pk=self.instance.pk)
        base, n = slug, 2
        while others.filter(slug=slug).exists():
            slug = f"{base[:36]}-{n}"
            n += 1
        return slug

    def clean_email_domains(self):
        domains = []
        for part in re.split(r"[\s,;]+", self.cleaned_data["email_domains"].lower()):
            part = email_domain(part.strip())
            if not part:
                continue
            if not _DOMAIN.match(part):
                raise forms.ValidationError(
                    _("“%(domain)s” is not an e-mail domain."), params={"domain": part[:60]}
                )
            if part not in domains:
                domains.append(part)
        if not domains:
            raise forms.ValidationError(_("Give at least one e-mail domain."))
        taken = (
            ConnectionDomain.objects.filter(domain__in=domains)
            .exclude(connection_id=self.instance.pk)
            .values_list("domain", flat=True)
        )
        if taken:
            raise forms.ValidationError(
                _("Another connection already signs in %(domains)s."),
                params={"domains": ", ".join(sorted(taken))},
            )
        return domains

    def clean(self):
        cleaned = super().clean()
        protocol = cleaned.get("protocol")
        if protocol == IdentityProtocol.SAML:
            self._clean_saml(cleaned)
        elif protocol == IdentityProtocol.OIDC:
            self._clean_oidc(cleaned)
        return cleaned

    def _clean_saml(self, cleaned):
        from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

        url, upload = cleaned.get("metadata_url"), cleaned.get("metadata_file")
        if not url and not upload:
            if self.instance.pk and self.instance.protocol == IdentityProtocol.SAML:
                self.idp = self.instance.app.settings.get("idp")
                return
            self.add_error("metadata_url", _("Give the metadata's address or upload the file."))
            return
        try:
            if upload:
                if upload.size > MAX_METADATA_BYTES:
                    raise ValueError("too large")
                parsed = OneLogin_Saml2_IdPMetadataParser.parse(upload.read())
            else:
                parsed = OneLogin_Saml2_IdPMetadataParser.parse_remote(url, timeout=10)
            idp = parsed["idp"]
            entity_id = idp["entityId"]
            sso_url = idp["singleSignOnService"]["url"]
        except Exception:  # a bad file or address: any parse or network failure says so
            self.add_error(
                "metadata_file" if upload else "metadata_url",
                _("Triad could not read SAML metadata for an identity provider from this."),
            )
            return
        if upload:
            certs = idp.get("x509certMulti", {}).get("signing") or [idp.get("x509cert", "")]
            self.idp = {"entity_id": entity_id, "sso_url": sso_url, "x509cert": certs[0]}
        else:
            self.idp = {"entity_id": entity_id, "metadata_url": url}

    def _clean_oidc(self, cleaned):
        if not cleaned.get("issuer"):
            self.add_error("issuer", _("Give the provider's issuer address."))
        if not cleaned.get("client_id"):
            self.add_error("client_id", _("Give the client id Triad was registered with."))
        has_secret = self.instance.pk and self.instance.app.secret
        if not cleaned.get("secret") and not has_secret:
            self.add_error("secret", _("Give the client secret."))

    @transaction.atomic
    def save(self, commit=True):
        from allauth.socialaccount.models import SocialApp

        connection = super().save(commit=False)
        app = connection.app if connection.pk else SocialApp()
        data = self.cleaned_data
        app.provider = connection.protocol
        app.provider_id = connection.slug
        app.name = connection.name
        if connection.protocol == IdentityProtocol.OIDC:
            app.client_id = data["client_id"]
            if data.get("secret"):
                app.secret = data["secret"]
            app.settings = {"server_url": data["issuer"], "oauth_pkce_enabled": True}
        else:
            app.client_id = connection.slug  # the SAML URLs name the app by it
            app.secret = ""
            app.settings = {
                "idp": self.idp,
                # Who the person is: the subject-id attribute, else the NameID.
                # Host names without a dot (an intranet's, the tests') pass python3-saml's check.
                "advanced": {"reject_idp_initiated_sso": True, "allow_single_label_domains": True},
            }
        app.save()
        connection.app = app
        connection.save()
        connection.domains.exclude(domain__in=data["email_domains"]).delete()
        existing = set(connection.domains.values_list("domain", flat=True))
        ConnectionDomain.objects.bulk_create(
            ConnectionDomain(connection=connection, domain=d)
            for d in data["email_domains"]
            if d not in existing
        )
        return connection
