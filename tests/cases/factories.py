import datetime

import factory

from cases.models import (
    Case,
    CaseConsent,
    CaseEvent,
    ConsentGivenBy,
    ConsentStatus,
    EventKind,
    Intervention,
    InterventionGroup,
    InterventionProgramme,
    InterventionSession,
    PracticalTest,
    RaisedBy,
    StartingPoint,
    Vignette,
    VignetteResponse,
    VignetteStage,
)
from pilots.models import Actor
from tests.pilots.factories import PilotSiteFactory, SchoolFactory


class PracticalTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticalTest
        skip_postgeneration_save = True

    site = factory.SubFactory(PilotSiteFactory)
    title = factory.Sequence(lambda n: f"Fem ärenden tillsammans {n}")
    starting_points = factory.LazyFunction(lambda: [StartingPoint.EARLY])
    change_idea = "Kuratorn, socialsekreteraren och BUP-sköterskan tar nya ärenden tillsammans."
    aim = "Snabbare första insats."
    prediction = "Första insats inom sju dagar i fyra av fem ärenden."
    starts_on = datetime.date(2018, 9, 10)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case with its site-local code; `number` follows the sequence per test run."""

    class Meta:
        model = Case

    site = factory.SubFactory(PilotSiteFactory)
    school = factory.LazyAttribute(lambda o: o.site.schools.first() or SchoolFactory(site=o.site))
    year = 2018
    number = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"{o.site.case_code_prefix}-{o.year}-{o.number:03d}")
    school_year = 8
    raised_by = RaisedBy.CHILD
    concerns = factory.LazyFunction(lambda: ["worry"])
    first_contact_on = datetime.date(2018, 9, 12)


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    occurred_on = factory.LazyAttribute(lambda o: o.case.first_contact_on)
    actor = Actor.SCHOOL
    kind = EventKind.CONTACT
    minutes = 30


class CaseConsentFactory(factory.django.DjangoModelFactory):
    """Consent to share with the school, given by the child on the day of first contact."""

    class Meta:
        model = CaseConsent

    case = factory.SubFactory(CaseFactory)
    actor = Actor.SCHOOL
    status = ConsentStatus.GIVEN
    given_by = ConsentGivenBy.CHILD
    recorded_on = factory.LazyAttribute(lambda o: o.case.first_contact_on)


class VignetteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vignette

    site = None
    title = factory.Sequence(lambda n: f"Vinjett {n}")
    introduction = "Ett påhittat ärende i tre steg."


class VignetteStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VignetteStage

    vignette = factory.SubFactory(VignetteFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = "Första signalen"
    text = "En elev i åk 8 har varit borta mycket från skolan den senaste månaden."


class VignetteResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VignetteResponse

    site = factory.SubFactory(PilotSiteFactory)
    stage = factory.SubFactory(VignetteStageFactory)
    actor = Actor.SCHOOL
    text = "Mentorn tar kontakt och bjuder in till samtal med skolsköterskan."


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    site = factory.SubFactory(PilotSiteFactory)
    programme = factory.LazyFunction(lambda: InterventionProgramme.objects.get(short_name="YAM"))
    school = factory.LazyAttribute(lambda o: o.site.schools.first() or SchoolFactory(site=o.site))


class InterventionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterventionGroup

    intervention = factory.SubFactory(InterventionFactory)
    name = factory.Sequence(lambda n: f"8{'ABCDEFGH'[n % 8]}{n // 8 or ''}")
    size = 24


class InterventionSessionFactory(factory.django.DjangoModelFactory):
    """A session; unless `groups` are given, the intervention's first group (one of 24 pupils
    is recorded when it has none) took part."""

    class Meta:
        model = InterventionSession
        skip_postgeneration_save = True

    intervention = factory.SubFactory(InterventionFactory)
    held_on = datetime.date(2018, 10, 2)
    instructors = "Två certifierade YAM-instruktörer"
    attendance = 24

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            first = self.intervention.groups.first()
            extracted = [first or InterventionGroupFactory(intervention=self.intervention)]
        self.groups.set(extracted)
