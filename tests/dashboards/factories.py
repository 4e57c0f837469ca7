"""A site with known data of every kind a summary reads, and a quick way to add many cases."""

import datetime

from django.utils import timezone

from cases.models import (
    CaseConsent,
    Closure,
    ConsentStatus,
    Decision,
    InterventionStatus,
    RaisedBy,
    ReferralTo,
    Stage,
    StartingPoint,
)
from pilots.models import Actor, DocumentKind, Role
from tests.cases.factories import (
    CaseFactory,
    InterventionFactory,
    InterventionGroupFactory,
    InterventionSessionFactory,
    PracticalTestFactory,
)
from tests.pilots.factories import (
    ActionFactory,
    DecisionFactory,
    MembershipFactory,
    PlanDocumentFactory,
    SteeringMeetingFactory,
)
from tests.workshops.factories import (
    DeliverableFactory,
    DeliveryFactory,
    ProgrammeFactory,
    RegistrationFactory,
    WorkshopFactory,
)

D = datetime.date


def known_site(site, lead, member, steering):
    """Fill `site` with data whose summary is worked out by hand in test_services."""
    t1 = PracticalTestFactory(
        site=site, starting_points=[StartingPoint.EARLY, StartingPoint.SEEK_HELP], stage=Stage.DO
    )
    t2 = PracticalTestFactory(
        site=site,
        starting_points=[StartingPoint.PROMOTIVE],
        stage=Stage.DONE,
        decision=Decision.ADOPT,
    )
    c1 = CaseFactory(
        site=site,
        practical_test=t1,
        raised_by=RaisedBy.CHILD,
        first_contact_on=D(2018, 9, 3),
        first_intervention_on=D(2018, 9, 5),
        closed_on=D(2018, 9, 20),
        closure=Closure.RESOLVED,
        sip_started=True,
    )
    c2 = CaseFactory(
        site=site,
        practical_test=t1,
        raised_by=RaisedBy.GUARDIAN,
        first_contact_on=D(2018, 9, 4),
        first_intervention_on=D(2018, 9, 14),
        closed_on=D(2018, 9, 28),
        closure=Closure.REFERRED,
        referred_to=ReferralTo.CAMHS,
    )
    c3 = CaseFactory(
        site=site,
        practical_test=t2,
        raised_by=RaisedBy.CHILD,
        first_contact_on=D(2018, 9, 10),
        first_intervention_on=D(2018, 9, 14),
    )
    CaseFactory(site=site, raised_by=RaisedBy.SCHOOL_STAFF, first_contact_on=D(2018, 9, 11))
    CaseConsent.objects.create(case=c1, actor=Actor.SCHOOL, status=ConsentStatus.GIVEN)
    CaseConsent.objects.create(case=c1, actor=Actor.SOCIAL, status=ConsentStatus.GIVEN)
    CaseConsent.objects.create(case=c2, actor=Actor.HEALTH, status=ConsentStatus.DECLINED)
    CaseConsent.objects.create(case=c3, actor=Actor.SCHOOL, status=ConsentStatus.GIVEN)

    today = timezone.localdate()
    meeting = SteeringMeetingFactory(site=site)
    followed = DecisionFactory(meeting=meeting)
    DecisionFactory(meeting=meeting)
    ActionFactory(
        site=site,
        decision=followed,
        due_on=today + datetime.timedelta(days=10),
        starting_points=[StartingPoint.SEEK_HELP, StartingPoint.NOT_PSYCHIATRISE],
    )
    ActionFactory(site=site, due_on=today - datetime.timedelta(days=1))

    MembershipFactory(
        site=site, role=Role.WORKING, actor=Actor.SOCIAL, hours_per_week=4, planned_hours_per_week=8
    )
    MembershipFactory(
        site=site, role=Role.WORKING, actor=Actor.HEALTH, hours_per_week=6, planned_hours_per_week=6
    )
    # One left without a successor (a vacancy), one handed over to a successor.
    MembershipFactory(
        site=site,
        role=Role.WORKING,
        actor=Actor.HEALTH,
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today - datetime.timedelta(days=5),
    )
    before = MembershipFactory(
        site=site,
        role=Role.STEERING,
        actor=Actor.SOCIAL,
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today - datetime.timedelta(days=20),
    )
    MembershipFactory(
        site=site,
        role=Role.STEERING,
        actor=Actor.SOCIAL,
        succeeds=before,
        starts_on=today - datetime.timedelta(days=19),
    )

    needs = PlanDocumentFactory(site=site, kind=DocumentKind.NEEDS_ANALYSIS)
    needs.add_version(sections={"needs": "Oro och frånvaro."}, author=lead)
    plan = PlanDocumentFactory(site=site, kind=DocumentKind.PROJECT_PLAN)
    version = plan.add_version(sections={"aim": "Tidiga insatser."}, author=lead)
    plan.approve(version, on=today, by=lead)

    now = timezone.now()
    workshop = WorkshopFactory(programme=ProgrammeFactory(sites=[site]))
    DeliverableFactory(workshop=workshop, due_at=now - datetime.timedelta(days=3))
    settled = DeliverableFactory(workshop=workshop, due_at=now - datetime.timedelta(days=2))
    DeliveryFactory(deliverable=settled, site=site, status="accepted", reviewed_at=now)
    DeliverableFactory(workshop=workshop, due_at=now + datetime.timedelta(days=5))
    RegistrationFactory(workshop=workshop, site=site, user=lead, attended=True)
    RegistrationFactory(workshop=workshop, site=site, user=member, attended=False)
    RegistrationFactory(workshop=workshop, site=site, user=steering, cancelled_at=now)

    # Three classes, two of them reached: 8A in both sessions, 8B in the first, 8C not yet.
    yam = InterventionFactory(
        site=site, status=InterventionStatus.RUNNING, starting_points=[StartingPoint.PROMOTIVE]
    )
    a, b, _c = (
        InterventionGroupFactory(intervention=yam, name=name, size=size)
        for name, size in (("8A", 24), ("8B", 25), ("8C", 23))
    )
    InterventionSessionFactory(intervention=yam, groups=[a, b], attendance=45)
    InterventionSessionFactory(intervention=yam, groups=[a], attendance=20)
    return site


FIRST_DAY = D(2018, 8, 6)


def many_cases(site, n, start=FIRST_DAY):
    """`n` cases on as many days; all but every third with an intervention after i % 9 days."""
    for i in range(n):
        first = start + datetime.timedelta(days=i)
        CaseFactory(
            site=site,
            first_contact_on=first,
            first_intervention_on=first + datetime.timedelta(days=i % 9) if i % 3 else None,
            raised_by=RaisedBy.CHILD if i % 2 else RaisedBy.GUARDIAN,
        )
