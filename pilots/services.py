"""Logic that spans several models: inviting people, accepting invitations, and turning an
interest registration into a pilot site.

There is no public sign-up. A person comes into Triad through an e-mailed invitation whose
link is a secret (only its hash is stored); following it proves they read that inbox, so the
address is marked verified when they accept."""

import re

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import tokens
from .mail import absolute, send_templated
from .models import (
    InterestRegistration,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Phase,
    PilotSite,
    RegistrationNote,
    RegistrationStatus,
    Role,
    School,
    SchoolType,
    User,
)
from .models.invitations import _default_expiry

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
        "pilots/email/invitation",
        {
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "has_account": existing is not None,
            "link": absolute(reverse("pilots:invitation_accept", kwargs={"token": token})),
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


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation behind a link, or None (unknown, used, withdrawn or expired)."""
    invitation = invitation_for_token(token)
    return invitation if invitation and invitation.is_usable else None


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


# --- Interest registrations --------------------------------------------------------------------


def register_interest(registration: InterestRegistration, *, language: str | None = None) -> str:
    """Save a new registration, confirm it by e-mail to the applicant (in the language they
    used) and tell the coordinators; returns the secret follow token."""
    token, registration.follow_token_digest = tokens.new_token()
    registration.status = RegistrationStatus.NEW
    registration.save()
    send_templated(
        registration.contact_email,
        "pilots/email/registration_received",
        {
            "registration": registration,
            "link": absolute(reverse("pilots:registration_follow", kwargs={"token": token})),
        },
        language=language,
    )
    detail = absolute(reverse("pilots:registration_detail", kwargs={"pk": registration.pk}))
    for coordinator in User.objects.filter(is_coordinator=True, is_active=True):
        send_templated(
            coordinator.email,
            "pilots/email/registration_new",
            {"registration": registration, "link": detail, "recipient": coordinator},
            language=coordinator.language,
        )
    return token


def registration_for_token(token: str) -> InterestRegistration | None:
    return InterestRegistration.objects.filter(follow_token_digest=tokens.digest(token)).first()


# The moves a coordinator makes by hand; accepting has its own step (it creates a site).
STATUS_MOVES = {
    RegistrationStatus.NEW: {RegistrationStatus.IN_DIALOGUE, RegistrationStatus.DECLINED},
    RegistrationStatus.IN_DIALOGUE: {RegistrationStatus.DECLINED},
    RegistrationStatus.DECLINED: {RegistrationStatus.IN_DIALOGUE},
    RegistrationStatus.ACCEPTED: set(),
}


@transaction.atomic
def set_registration_status(
    registration: InterestRegistration, status: str, *, by, note: str = ""
) -> InterestRegistration:
    """Move a registration to `status` (see STATUS_MOVES), with an optional dialogue note.

    Declining records who decided and when; reopening a declined registration clears that."""
    registration = InterestRegistration.objects.select_for_update().get(pk=registration.pk)
    if status not in STATUS_MOVES[registration.status]:
        raise ValueError(f"a registration cannot go from {registration.status} to {status}")
    registration.status = status
    if status == RegistrationStatus.DECLINED:
        registration.decided_at, registration.decided_by = timezone.now(), by
    else:
        registration.decided_at, registration.decided_by = None, None
    registration.save(update_fields=["status", "decided_at", "decided_by"])
    if note.strip():
        RegistrationNote.objects.create(registration=registration, author=by, text=note.strip())
    return registration


def decline_registration(registration: InterestRegistration, *, by, note: str = "") -> None:
    set_registration_status(registration, RegistrationStatus.DECLINED, by=by, note=note)


# --- Creating sites ----------------------------------------------------------------------------

PREFIX_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")


def _unique(model, field, base, max_length):
    candidate, n = base[:max_length], 2
    while model.objects.filter(**{f"{field}__iexact": candidate}).exists():
        suffix = f"-{n}" if field == "slug" else str(n)
        candidate, n = f"{base[: max_length - len(suffix)]}{suffix}", n + 1
    return candidate


def suggest_slug(name: str) -> str:
    """A free address for a site called `name` (malmo, malmo-2, …)."""
    return _unique(PilotSite, "slug", slugify(name) or "site", 60)


def suggest_case_code_prefix(name: str) -> str:
    """A free case-code prefix from the first letters of `name` (Malmö -> MAL)."""
    letters = "".join(ch for ch in slugify(name).upper() if ch.isalpha())[:3]
    return _unique(PilotSite, "case_code_prefix", letters if len(letters) >= 2 else "SITE", 6)


def _top_organisation(name: str, kind: str) -> Organisation:
    """The municipality or region of that name, matched regardless of case; created if new."""
    name = " ".join(name.split())
    found = Organisation.objects.filter(name__iexact=name, kind=kind, parent=None).first()
    return found or Organisation.objects.create(name=name, kind=kind)


@transaction.atomic
def create_site(
    *,
    name: str,
    municipality_name: str,
    region_name: str,
    by,
    slug: str = "",
    case_code_prefix: str = "",
    note: str = "",
) -> PilotSite:
    """A new pilot site in its pre-study, with its municipality and region (created if new).

    The phase change is recorded, so the site's history starts with who created it."""
    site = PilotSite.objects.create(
        name=name.strip(),
        slug=slug or suggest_slug(name),
        municipality=_top_organisation(municipality_name, OrganisationKind.MUNICIPALITY),
        region=_top_organisation(region_name, OrganisationKind.REGION),
        case_code_prefix=(case_code_prefix or suggest_case_code_prefix(name)).upper(),
    )
    site.set_phase(Phase.PRE_STUDY, by=by, note=note)
    return site


@transaction.atomic
def accept_registration(
    registration: InterestRegistration,
    *,
    by,
    name: str = "",
    slug: str = "",
    case_code_prefix: str = "",
) -> PilotSite:
    """Create the pilot site the registration asks for, with its named schools, and invite its
    contact as project lead. Name, address and case-code prefix default to suggestions."""
    registration = InterestRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.site_id:
        return registration.site
    if registration.status == RegistrationStatus.DECLINED:
        raise ValueError("reopen a declined registration before accepting it")
    site = create_site(
        name=name or registration.municipality_name,
        municipality_name=registration.municipality_name,
        region_name=registration.region_name,
        slug=slug,
        case_code_prefix=case_code_prefix,
        by=by,
        # In the language of the coordinator who accepts, as a note they typed would be.
        note=gettext("From the interest registration %(registration)s")
        % {"registration": registration},
    )
    for school_name in registration.school_names():
        School.objects.get_or_create(
            site=site, name=school_name[:150], defaults={"school_type": SchoolType.COMPULSORY}
        )
    registration.site = site
    registration.status = RegistrationStatus.ACCEPTED
    registration.decided_at = timezone.now()
    registration.decided_by = by
    registration.save(update_fields=["site", "status", "decided_at", "decided_by"])
    invite(
        email=registration.contact_email,
        full_name=registration.contact_name,
        invited_by=by,
        site=site,
        role=Role.LEAD,
        title=registration.contact_title,
    )
    return site
