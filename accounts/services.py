"""Inviting people and accepting invitations.

There is no public sign-up. A person comes into Triad through an e-mailed invitation whose
link is a secret (only its hash is stored); following it proves they read that inbox, so the
address is marked verified when they accept."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from infra.mail import absolute, send_templated
from pilots.models import Membership, User

from . import tokens
from .models import Invitation, _default_expiry

# --- Invitations -------------------------------------------------------------------------------


class InvitationError(Exception):
    """An invitation cannot be accepted (or changed) in its present state."""


class WrongPerson(InvitationError):
    """The signed-in person is not the one the invitation was sent to."""


class InvitationState:
    """Where an invitation stands. Derived from its dates, so it needs no field of its own."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"

    LABELS = {
        PENDING: _("Waiting for an answer"),
        ACCEPTED: pgettext_lazy("invitation", "Accepted"),
        EXPIRED: _("Expired"),
        WITHDRAWN: _("Withdrawn"),
    }


def invitation_state(invitation: Invitation) -> str:
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationState.WITHDRAWN
    if invitation.expires_at <= timezone.now():
        return InvitationState.EXPIRED
    return InvitationState.PENDING


def invitations_in_state(invitations: QuerySet, state: str) -> QuerySet:
    now = timezone.now()
    unanswered = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    return invitations.filter(
        {
            InvitationState.PENDING: unanswered & Q(expires_at__gt=now),
            InvitationState.ACCEPTED: Q(accepted_at__isnull=False),
            InvitationState.EXPIRED: unanswered & Q(expires_at__lte=now),
            InvitationState.WITHDRAWN: Q(accepted_at__isnull=True, revoked_at__isnull=False),
        }[state]
    )


def _same_offer(invitation: Invitation) -> Q:
    """Invitations that offer the same person the same thing."""
    if invitation.as_coordinator:
        return Q(email__iexact=invitation.email, as_coordinator=True)
    return Q(email__iexact=invitation.email, site=invitation.site_id, role=invitation.role)


def _send_invitation(invitation: Invitation, token: str) -> None:
    existing = User.objects.filter(email__iexact=invitation.email).only("language").first()
    send_templated(
        invitation.email,
        "accounts/email/invitation",
        {
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "has_account": existing is not None,
            "link": absolute(reverse("accounts:invitation_accept", kwargs={"token": token})),
            "valid_until": invitation.expires_at,
        },
        language=existing.language if existing else None,
    )


@transaction.atomic
def invite(
    *, email: str, invited_by, site=None, role="", as_coordinator=False, **details
) -> Invitation:
    """Create an invitation and e-mail its link. Only a digest of the token is stored.

    An earlier unanswered invitation offering the same person the same role is withdrawn, so
    only the newest link works."""
    token, digest = tokens.new_token()
    invitation = Invitation(
        email=email.strip().lower(),
        site=site,
        role="" if as_coordinator else role,
        as_coordinator=as_coordinator,
        invited_by=invited_by,
        token_digest=digest,
        **details,
    )
    invitations_in_state(Invitation.objects.filter(_same_offer(invitation)), "pending").update(
        revoked_at=timezone.now()
    )
    invitation.save()
    _send_invitation(invitation, token)
    return invitation


@transaction.atomic
def resend_invitation(invitation: Invitation, *, by) -> Invitation:
    """Send a fresh link (valid for the full period again); the old link stops working.

    Works for a pending, expired or withdrawn invitation, never for an accepted one."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("an accepted invitation cannot be sent again")
    token, invitation.token_digest = tokens.new_token()
    invitation.expires_at = _default_expiry()
    invitation.revoked_at = None
    invitation.save(update_fields=["token_digest", "expires_at", "revoked_at"])
    # Another unanswered invitation of the same offer would be a second working link.
    invitations_in_state(
        Invitation.objects.filter(_same_offer(invitation)).exclude(pk=invitation.pk), "pending"
    ).update(revoked_at=timezone.now())
    _send_invitation(invitation, token)
    return invitation


@transaction.atomic
def withdraw_invitation(invitation: Invitation, *, by) -> bool:
    """Make the link stop working. False if there was nothing to withdraw."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation_state(invitation) != InvitationState.PENDING:
        return False
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return True


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation behind a link, whatever its state; None for an unknown link."""
    return (
        Invitation.objects.select_related("site", "invited_by", "organisation", "succeeds__user")
        .filter(token_digest=tokens.digest(token))
        .first()
    )


def is_addressed_to(invitation: Invitation, user) -> bool:
    return user.email.strip().lower() == invitation.email.strip().lower()


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership | None:
    """Give `user` the role the invitation offers. The e-mail it was sent to is now verified.

    Only the person the invitation was sent to may accept it: a forwarded link must not give
    someone else the role, nor put the invitee's address on their account."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise InvitationError("invitation is no longer usable")
    if not is_addressed_to(invitation, user):
        raise WrongPerson("invitation was sent to another address")
    address = EmailAddress.objects.filter(user=user, email__iexact=invitation.email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        EmailAddress.objects.create(
            user=user, email=invitation.email, verified=True, primary=not has_primary
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if not user.full_name and invitation.full_name:
        user.full_name = invitation.full_name
        user.save(update_fields=["full_name"])
    membership = None
    if invitation.as_coordinator:
        user.is_coordinator = True
        user.save(update_fields=["is_coordinator"])
    else:
        membership = Membership.objects.filter(
            site=invitation.site, user=user, role=invitation.role, ends_on__isnull=True
        ).first()
        if membership is None:
            succeeds = invitation.succeeds
            if succeeds is not None and succeeds.site_id != invitation.site_id:
                succeeds = None
            membership = Membership.objects.create(
                site=invitation.site,
                user=user,
                role=invitation.role,
                actor=invitation.actor,
                organisation=invitation.organisation,
                title=invitation.title,
                hours_per_week=invitation.hours_per_week,
                succeeds=succeeds,
            )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def accept_as_new_person(
    invitation: Invitation, *, full_name: str, password: str, language: str
) -> User:
    """Create the account of a person who is new to Triad and accept the invitation for them."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError("a person with this address already exists")
    user = User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name.strip(), language=language
    )
    accept_invitation(invitation, user)
    return user
