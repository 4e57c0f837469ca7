"""Rows for the programme structure (pilots)."""

import datetime

from pilots.models import Actor, DocumentKind, Organisation, OrganisationKind, Role
from tests.pilots.factories import (
    ActionFactory,
    DecisionFactory,
    MembershipFactory,
    PlanDocumentFactory,
    SteeringMeetingFactory,
)

from . import GOVERN, MANAGE, VIEW, coordinator_row, public_row, signed_in_row, site_row


def build(world):
    """Add pilots' objects to each site of the world (world.a, world.b)."""
    for s in (world.a, world.b):
        site = s.site
        s.school = site.schools.first()
        s.unit = Organisation.objects.create(
            name=f"Socialförvaltningen {site.slug}",
            kind=OrganisationKind.UNIT,
            actor=Actor.SOCIAL,
            parent=site.municipality,
        )
        s.membership = MembershipFactory(site=site, role=Role.STEERING, actor=Actor.HEALTH)
        document = PlanDocumentFactory(site=site, kind=DocumentKind.PROJECT_PLAN)
        s.version = document.add_version(sections={"aim": "Mål"}, author=None)
        s.meeting = SteeringMeetingFactory(site=site, held_on=datetime.date(2018, 3, 1))
        s.decision = DecisionFactory(meeting=s.meeting)
        s.action = ActionFactory(site=site, decision=s.decision)


def _kind_row(name, *, who, post=False):
    """A row for a document kind: the kind is in the URL, not an object, so no foreign check."""
    row = site_row(name, who=who, obj=lambda s: {"kind": DocumentKind.PROJECT_PLAN}, post=post)
    row.foreign = None
    return row


STATUS = MANAGE | {"member_a"}

ROWS = [
    signed_in_row("pilots:home"),
    # What Triad processes: for everyone, signed in or not; coordinators edit it.
    public_row("pilots:processing"),
    coordinator_row("pilots:processing_edit", post=True),
    site_row("pilots:site_home", who=VIEW),
    site_row("pilots:site_update", who=MANAGE, post=True),
    site_row("pilots:site_phase", who={"coordinator"}, post=True),
    # Organisations
    site_row("pilots:organisation_list", who=VIEW),
    site_row("pilots:organisation_create", who=MANAGE, post=True),
    site_row("pilots:organisation_update", who=MANAGE, obj=lambda s: {"pk": s.unit.pk}, post=True),
    coordinator_row("pilots:programme_organisation_list"),
    coordinator_row("pilots:programme_organisation_create", post=True),
    coordinator_row(
        "pilots:programme_organisation_update",
        kwargs=lambda w: {"pk": w.a.unit.pk},
        post=True,
    ),
    # Schools
    site_row("pilots:school_list", who=VIEW),
    site_row("pilots:school_create", who=MANAGE, post=True),
    site_row("pilots:school_update", who=MANAGE, obj=lambda s: {"pk": s.school.pk}, post=True),
    site_row("pilots:school_leave", who=MANAGE, obj=lambda s: {"pk": s.school.pk}, post=True),
    # Groups
    site_row("pilots:steering_group", who=VIEW),
    site_row("pilots:working_group", who=VIEW),
    site_row(
        "pilots:membership_update", who=MANAGE, obj=lambda s: {"pk": s.membership.pk}, post=True
    ),
    site_row("pilots:membership_end", who=MANAGE, obj=lambda s: {"pk": s.membership.pk}, post=True),
    # Plans
    site_row("pilots:document_list", who=VIEW),
    _kind_row("pilots:document_detail", who=VIEW),
    _kind_row("pilots:document_edit", who=MANAGE, post=True),
    site_row("pilots:document_version", who=VIEW, obj=lambda s: {"pk": s.version.pk}),
    site_row("pilots:document_approve", who=MANAGE, obj=lambda s: {"pk": s.version.pk}, post=True),
    # Governance
    site_row("pilots:meeting_list", who=VIEW),
    site_row("pilots:meeting_create", who=GOVERN, post=True),
    site_row("pilots:meeting_detail", who=VIEW, obj=lambda s: {"pk": s.meeting.pk}),
    site_row("pilots:meeting_update", who=GOVERN, obj=lambda s: {"pk": s.meeting.pk}, post=True),
    site_row("pilots:decision_create", who=GOVERN, obj=lambda s: {"pk": s.meeting.pk}, post=True),
    site_row("pilots:decision_update", who=GOVERN, obj=lambda s: {"pk": s.decision.pk}, post=True),
    site_row("pilots:action_list", who=VIEW),
    site_row("pilots:action_create", who=MANAGE, post=True),
    site_row("pilots:action_detail", who=VIEW, obj=lambda s: {"pk": s.action.pk}),
    site_row("pilots:action_update", who=MANAGE, obj=lambda s: {"pk": s.action.pk}, post=True),
    site_row("pilots:action_status", who=STATUS, obj=lambda s: {"pk": s.action.pk}, post=True),
]
