"""How people and municipalities come in: interest registrations (the coordinators'), a
site's invitations (its project lead's and the coordinators'), coordinator invitations."""

from accounts import tokens
from pilots.models import Role
from tests.pilots.factories import InterestRegistrationFactory, InvitationFactory

from . import programme_object, programme_page, site_object, site_page

COORDINATORS = {"coordinator"}


def build(w):
    tags = w.tags
    w.follow_token, digest = tokens.new_token()
    w.registration = InterestRegistrationFactory(
        municipality_name=tags.add("COORD-Registration", who=COORDINATORS),
        follow_token_digest=digest,
    )
    w.coordinator_invitation = InvitationFactory(
        site=None,
        role="",
        as_coordinator=True,
        full_name=tags.add("COORD-Invitee", who=COORDINATORS),
    )
    w.identity_connection = _identity_connection(tags.add("COORD-IdP", who=COORDINATORS))
    for s in (w.a, w.b):
        s.invitation = InvitationFactory(
            site=s.site,
            role=Role.WORKING,
            full_name=s.tag("Invitee"),
            email=f"{s.tag('Mailbox')}@example.org",
        )


def _identity_connection(name):
    """An organisation's identity provider (SAML, never reached here)."""
    from allauth.socialaccount.models import SocialApp

    from accounts.models import ConnectionDomain, IdentityConnection
    from tests.pilots.factories import OrganisationFactory

    app = SocialApp.objects.create(
        provider="saml",
        provider_id="content-saml",
        client_id="content-saml",
        name=name,
        settings={
            "idp": {
                "entity_id": "https://idp.content.invalid/",
                "sso_url": "https://idp.content.invalid/sso",
                "x509cert": "MIIB",
            }
        },
    )
    connection = IdentityConnection.objects.create(
        organisation=OrganisationFactory(), name=name, slug="content-saml", protocol="saml", app=app
    )
    ConnectionDomain.objects.create(connection=connection, domain="content.invalid")
    return connection


def _registration(w):
    return {"pk": w.registration.pk}


def _coordinators_only(name, obj, tag):
    return programme_object(name, obj=obj, tag=lambda w: tag)


PAGES = [
    programme_page("pilots:registration_create"),
    programme_page("pilots:registration_sent"),
    programme_page("pilots:registration_list", shows={"COORD-Registration"}),
    programme_page(
        "pilots:registration_detail", kwargs=_registration, shows={"COORD-Registration"}
    ),
    programme_page("pilots:site_list", shows={"OWN-Site", "LEAK-Site", "PROG-Site"}),
    programme_page("accounts:coordinator_list", shows={"COORD-Invitee"}),
    # What Triad processes: each programme's retention, of the programmes the person sees.
    programme_page(
        "pilots:processing",
        shows={
            "coordinator": {"OWN-Programme", "PROG-Programme"},
            **{p: {"OWN-Programme"} for p in ("lead_a", "member_a", "steering_a", "member_b")},
        },
    ),
    programme_page("pilots:processing_edit"),
    # A person's own data: the page (the files are read in tests/accounts/test_own_data.py).
    programme_page("accounts:own_data"),
    programme_page("accounts:find_person"),
    site_page("accounts:invitation_list", shows={"OWN-Invitee", "OWN-Mailbox"}),
    site_page("accounts:invitation_create", shows={"OWN-Unit"}),
    programme_page("accounts:connection_list", shows={"COORD-IdP"}),
    programme_page("accounts:connection_create"),
]

OBJECTS = [
    # Another person's data: the coordinators' page only; anyone else is refused first.
    programme_object(
        "accounts:person_data",
        obj=lambda w: {"pk": w.b.member.user.pk},
        tag=lambda w: "LEAK-Member",
        own=lambda w: ({"pk": w.a.member.user.pk}, "OWN-Member"),
    ),
    _coordinators_only("pilots:registration_detail", _registration, "COORD-Registration"),
    _coordinators_only("pilots:registration_note", _registration, "COORD-Registration"),
    _coordinators_only("pilots:registration_status", _registration, "COORD-Registration"),
    _coordinators_only("pilots:registration_accept", _registration, "COORD-Registration"),
    _coordinators_only(
        "accounts:coordinator_invitation_resend",
        lambda w: {"pk": w.coordinator_invitation.pk},
        "COORD-Invitee",
    ),
    _coordinators_only(
        "accounts:coordinator_invitation_withdraw",
        lambda w: {"pk": w.coordinator_invitation.pk},
        "COORD-Invitee",
    ),
    _coordinators_only(
        "accounts:connection_update", lambda w: {"pk": w.identity_connection.pk}, "COORD-IdP"
    ),
    _coordinators_only(
        "accounts:connection_delete", lambda w: {"pk": w.identity_connection.pk}, "COORD-IdP"
    ),
    site_object(
        "accounts:invitation_resend",
        obj=lambda s: {"pk": s.invitation.pk},
        tag=lambda s: f"{s.prefix}-Mailbox",
    ),
    site_object(
        "accounts:invitation_withdraw",
        obj=lambda s: {"pk": s.invitation.pk},
        tag=lambda s: f"{s.prefix}-Mailbox",
    ),
]

OTHER = {
    "pilots:registration_follow": "the secret in the address is the credential (an applicant's)",
    "accounts:invitation_accept": "the secret in the address is the credential (an invitee's)",
    "accounts:federated_invitation": "POST only, with the invitation's secret in the address",
}
