"""Logic that spans several models: receiving an interest registration and turning it into a
pilot site."""

import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from accounts import tokens
from accounts.services import invite
from infra.mail import absolute, send_templated

from .models import (
    InterestRegistration,
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
