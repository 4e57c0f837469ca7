"""A site with a row of every kind its data is made of, for the tests of the change count
(tests/dashboards/test_changes.py): each counted model needs a row of each site here."""

from cases.models import (
    CaseChange,
    ChangeKind,
    Fidelity,
    FidelityCheck,
    FidelityItem,
    InterventionProgramme,
)
from pilots.models import Phase, PlanVersion, Role
from tests.cases.factories import (
    CaseConsentFactory,
    CaseEventFactory,
    CaseFactory,
    InterventionFactory,
    InterventionSessionFactory,
    PracticalTestFactory,
    VignetteFactory,
    VignetteResponseFactory,
)
from tests.pilots.factories import (
    ActionFactory,
    DecisionFactory,
    MembershipFactory,
    PlanDocumentFactory,
    SchoolFactory,
    SteeringMeetingFactory,
)
from tests.workshops.factories import (
    DeliverableFactory,
    DeliveryFactory,
    ProgrammeFactory,
    RegistrationFactory,
    WorkshopFactory,
)
from workshops.models import DeliveryEvent


def fill(site, intervention_programme: str):
    """Rows of every kind at `site`; its general interventions follow `intervention_programme`
    (short name), so that each site's reach a programme of their own."""
    SchoolFactory(site=site)
    lead = MembershipFactory(site=site, role=Role.LEAD).user
    test = PracticalTestFactory(site=site)
    case = CaseFactory(site=site, practical_test=test)
    CaseEventFactory(case=case)
    CaseConsentFactory(case=case)
    CaseChange.objects.create(case=case, changed_by=lead, what=ChangeKind.CREATED)
    programme = InterventionProgramme.objects.get(short_name=intervention_programme)
    intervention = InterventionFactory(site=site, programme=programme)
    InterventionSessionFactory(intervention=intervention)
    item = programme.fidelity_items.first() or FidelityItem.objects.create(
        programme=programme, position=1, text="Två instruktörer"
    )
    FidelityCheck.objects.create(intervention=intervention, item=item, status=Fidelity.MET)
    VignetteFactory(site=site)
    VignetteResponseFactory(site=site)
    document = PlanDocumentFactory(site=site)
    PlanVersion.objects.create(document=document, number=1, author=lead)
    meeting = SteeringMeetingFactory(site=site)
    DecisionFactory(meeting=meeting)
    ActionFactory(site=site)
    site.set_phase(Phase.PLANNING, by=lead)
    workshop = WorkshopFactory(programme=ProgrammeFactory(sites=[site]), is_published=True)
    deliverable = DeliverableFactory(workshop=workshop)
    RegistrationFactory(workshop=workshop, site=site, user=lead)
    delivery = DeliveryFactory(deliverable=deliverable, site=site)
    DeliveryEvent.objects.create(delivery=delivery, action=DeliveryEvent.Action.SUBMITTED, by=lead)
