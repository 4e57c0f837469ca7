"""Rows for how people and municipalities come in: interest registrations, invitations,
coordinators' pages."""

from accounts import tokens
from pilots.models import Role
from tests.pilots.factories import InterestRegistrationFactory, InvitationFactory

from . import MANAGE, coordinator_row, public_row, signed_in_row, site_row


def build(world):
    """A pending invitation per site, a registration with a known follow token, a coordinator
    invitation, and an invitation link no one of the matrix people may accept."""
    for s in (world.a, world.b):
        s.invitation = InvitationFactory(site=s.site, role=Role.WORKING)
    world.follow_token, digest = tokens.new_token()
    world.registration = InterestRegistrationFactory(follow_token_digest=digest)
    world.coordinator_invitation = InvitationFactory(site=None, role="", as_coordinator=True)
    world.invitation_token, digest = tokens.new_token()
    InvitationFactory(site=world.a.site, role=Role.WORKING, token_digest=digest)


def _invitation(s):
    return {"pk": s.invitation.pk}


def _registration(world):
    return {"pk": world.registration.pk}


ROWS = [
    # The public side: anyone, signed in or not. An empty POST re-renders the form.
    public_row("pilots:registration_create", post=True),
    public_row("pilots:registration_sent"),
    public_row("pilots:registration_follow", kwargs=lambda w: {"token": w.follow_token}),
    # The link is the secret; every signed-in person here has another address than the one
    # it was sent to, so each is told so (200) and nothing changes.
    public_row(
        "accounts:invitation_accept", kwargs=lambda w: {"token": w.invitation_token}, post=True
    ),
    # Coordinators' queue and sites.
    coordinator_row("pilots:registration_list"),
    coordinator_row("pilots:registration_detail", kwargs=_registration),
    coordinator_row("pilots:registration_note", kwargs=_registration, post=True),
    coordinator_row("pilots:registration_status", kwargs=_registration, post=True),
    coordinator_row("pilots:registration_accept", kwargs=_registration, post=True),
    coordinator_row("pilots:site_list", post=True),
    coordinator_row("accounts:coordinator_list", post=True),
    # A person's own data (GDPR art. 15): everyone's own; a coordinator's for a person who asks.
    signed_in_row("accounts:own_data"),
    coordinator_row("accounts:find_person"),
    coordinator_row(
        "accounts:person_data", kwargs=lambda world: {"pk": world.people["member_a"].pk}
    ),
    coordinator_row(
        "accounts:coordinator_invitation_resend",
        kwargs=lambda w: {"pk": w.coordinator_invitation.pk},
        post=True,
    ),
    coordinator_row(
        "accounts:coordinator_invitation_withdraw",
        kwargs=lambda w: {"pk": w.coordinator_invitation.pk},
        post=True,
    ),
    # A site's invitations: the lead and coordinators.
    site_row("accounts:invitation_list", who=MANAGE),
    site_row("accounts:invitation_create", who=MANAGE, post=True),
    site_row("accounts:invitation_resend", who=MANAGE, obj=_invitation, post=True),
    site_row("accounts:invitation_withdraw", who=MANAGE, obj=_invitation, post=True),
]
