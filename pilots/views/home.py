"""The page a person lands on after signing in: what matters for their roles.

A coordinator sees the programme: the sites by phase, the registrations waiting and what
happened lately. Everyone with a role at a site sees that site with what comes next for them."""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_scopes import scopes_disabled

from accounts.models import Invitation

from ..access import memberships_of
from ..models import (
    InterestRegistration,
    PhaseChange,
    PilotSite,
    PlanVersion,
    RegistrationStatus,
    Role,
)
from ..models.sites import Phase
from ..scoping import SiteAccess
from .site_list import sites_overview
from .work import work_of

# What each phase asks of each role, in the programme's own terms (see DOMAIN.md).
PHASE_GUIDANCE = {
    Phase.REGISTERED: {
        Role.LEAD: gettext_lazy(
            "Anchor the work with the managers of the three actors and form the steering "
            "group and the working group."
        ),
        Role.WORKING: gettext_lazy(
            "The site is getting started. Your project lead will call the first meeting of "
            "the working group."
        ),
        Role.STEERING: gettext_lazy(
            "Agree on who stands for each of the three actors, and on the time each sets aside."
        ),
    },
    Phase.PRE_STUDY: {
        Role.LEAD: gettext_lazy(
            "Write the needs analysis with the working group and bring it to the steering group."
        ),
        Role.WORKING: gettext_lazy(
            "Share what you see at the school: it goes into the site's needs analysis."
        ),
        Role.STEERING: gettext_lazy(
            "Make sure each actor sets time aside, and follow the needs analysis as it grows."
        ),
    },
    Phase.PLANNING: {
        Role.LEAD: gettext_lazy(
            "Write the project plan and the action plan, and have the steering group approve them."
        ),
        Role.WORKING: gettext_lazy(
            "Plan the first practical tests: which cases, who does what, and what you expect."
        ),
        Role.STEERING: gettext_lazy("Approve the project plan and the action plan."),
    },
    Phase.TESTING: {
        Role.LEAD: gettext_lazy(
            "Follow the practical tests and carry what they show to the steering group."
        ),
        Role.WORKING: gettext_lazy(
            "Run practical tests — plan, do, study, act — and log the cases pseudonymously."
        ),
        Role.STEERING: gettext_lazy(
            "Follow the tests and decide on what they show: adopt, adapt or abandon."
        ),
    },
    Phase.REPORTING: {
        Role.LEAD: gettext_lazy("Sum up what the site has learned, for the programme."),
        Role.WORKING: gettext_lazy(
            "Reflect on the tests together: what to keep doing at the school, and what not."
        ),
        Role.STEERING: gettext_lazy("Decide how the work continues after the pilot."),
    },
    Phase.CLOSED: dict.fromkeys(
        Role.values, gettext_lazy("The work is closed. Its history stays here for reference.")
    ),
}
# The role whose view of a site a person gets when they hold several there.
ROLE_ORDER = (Role.LEAD, Role.WORKING, Role.STEERING)
STEPS_SHOWN = 4
ACTIVITY_SHOWN = 10


@dataclass
class SiteCard:
    """One of the person's sites on their home page."""

    site: PilotSite
    memberships: list
    access: SiteAccess
    main_role: str
    guidance: str
    steps: list = field(default_factory=list)
    more_steps: int = 0
    pending_invitations: int = 0
    work: list = field(default_factory=list)
    due: list = field(default_factory=list)
    follow: list = field(default_factory=list)

    @property
    def awaiting(self):
        """What awaits a decision, with the action to take."""
        return [link for link in self.follow if link.action]

    @property
    def follow_links(self):
        """Where the site's progress is followed: its dashboard, its PDF."""
        return [link for link in self.follow if not link.action]


def _my_sites(user):
    memberships = list(
        memberships_of(user)
        .select_related("site__municipality", "site__region", "organisation")
        .order_by("site__name", "site_id", "role")
    )
    led = {m.site_id for m in memberships if m.role == Role.LEAD}
    pending = dict(
        Invitation.objects.pending()
        .filter(site_id__in=led)
        .values_list("site_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cards = []
    for _site_id, group in groupby(memberships, key=lambda m: m.site_id):
        group = list(group)
        site = group[0].site
        roles = frozenset(m.role for m in group)
        access = SiteAccess(site=site, roles=roles, is_coordinator=user.is_coordinator)
        main_role = next(role for role in ROLE_ORDER if role in roles)
        steps = list(site.next_steps(access)) if hasattr(site, "next_steps") else []
        card = SiteCard(
            site=site,
            memberships=group,
            access=access,
            main_role=main_role,
            guidance=PHASE_GUIDANCE[site.phase][main_role],
            steps=steps,
            pending_invitations=pending.get(site.pk, 0),
        )
        work_of(card, user)  # may take the steps that await the person out of the list
        card.more_steps = max(len(card.steps) - STEPS_SHOWN, 0)
        card.steps = card.steps[:STEPS_SHOWN]
        cards.append(card)
    return cards


@dataclass(frozen=True)
class Activity:
    when: datetime
    icon: str
    text: str
    url: str


def recent_activity(limit=ACTIVITY_SHOWN) -> list[Activity]:
    """The latest things that happened across the programme, newest first."""
    events = []
    for change in PhaseChange.objects.select_related("site", "changed_by")[:limit]:
        events.append(
            Activity(
                change.changed_at,
                "bi-signpost-split",
                _("%(site)s moved to %(phase)s")
                % {"site": change.site.name, "phase": change.get_to_phase_display().lower()},
                change.site.get_absolute_url(),
            )
        )
    for registration in InterestRegistration.objects.order_by("-created_at")[:limit]:
        events.append(
            Activity(
                registration.created_at,
                "bi-inbox",
                _("Interest registration from %(municipality)s")
                % {"municipality": registration.municipality_name},
                reverse("pilots:registration_detail", kwargs={"pk": registration.pk}),
            )
        )
    accepted = (
        Invitation.objects.filter(accepted_at__isnull=False, site__isnull=False)
        .select_related("site", "accepted_by")
        .order_by("-accepted_at")[:limit]
    )
    for invitation in accepted:
        events.append(
            Activity(
                invitation.accepted_at,
                "bi-person-check",
                _("%(person)s joined %(site)s as %(role)s")
                % {
                    "person": invitation.accepted_by or invitation.email,
                    "site": invitation.site.name,
                    "role": invitation.get_role_display().lower(),
                },
                invitation.site.get_absolute_url(),
            )
        )
    versions = PlanVersion.objects.select_related("document__site").order_by("-created_at")
    for version in versions[:limit]:
        site = version.document.site
        events.append(
            Activity(
                version.created_at,
                "bi-file-earmark-text",
                _("%(site)s saved version %(number)d of the %(document)s")
                % {
                    "site": site.name,
                    "number": version.number,
                    "document": version.document.get_kind_display().lower(),
                },
                site.get_absolute_url(),
            )
        )
    events.sort(key=lambda e: e.when, reverse=True)
    return events[:limit]


def _programme():
    sites = sorted(sites_overview(), key=lambda s: (Phase.values.index(s.phase), s.name.casefold()))
    by_phase = {value: [] for value in Phase.values}
    for site in sites:
        by_phase[site.phase].append(site)
    counts = dict(InterestRegistration.objects.values_list("status").annotate(n=Count("pk")))
    waiting = InterestRegistration.objects.filter(
        status__in=[RegistrationStatus.NEW, RegistrationStatus.IN_DIALOGUE]
    ).order_by("-created_at")
    return {
        "sites": sites,
        "phases": [(value, label, len(by_phase[value])) for value, label in Phase.choices],
        "new_registrations": counts.get(RegistrationStatus.NEW, 0),
        "dialogue_registrations": counts.get(RegistrationStatus.IN_DIALOGUE, 0),
        "waiting_registrations": waiting[:5],
        "activity": recent_activity(),
        "attention_sites": _sites_needing_attention(),
    }


def _sites_needing_attention() -> int:
    """How many sites' latest summaries show a warning sign (the national dashboard lists
    them, most signs first)."""
    from dashboards.models import SiteSummary

    with scopes_disabled():  # the programme: every site's summary
        return SiteSummary.objects.latest_per_site().filter(attention__gt=0).count()


@require_safe
def home(request):
    user = request.user
    context = {"cards": _my_sites(user)}
    if user.is_coordinator:
        context.update(_programme())
    return render(request, "pilots/home.html", context)
