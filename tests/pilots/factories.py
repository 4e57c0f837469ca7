import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts import tokens
from accounts.models import Invitation
from pilots.models import (
    Action,
    ActionStatus,
    Actor,
    Decision,
    DocumentKind,
    InterestRegistration,
    Membership,
    Organisation,
    OrganisationKind,
    PilotSite,
    PlanDocument,
    Role,
    School,
    SchoolType,
    SteeringMeeting,
    User,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Testperson {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Kommun {n}")
    kind = OrganisationKind.MUNICIPALITY


class PilotSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotSite

    name = factory.Sequence(lambda n: f"Område {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    case_code_prefix = factory.Sequence(lambda n: f"S{n:03d}")
    municipality = factory.SubFactory(OrganisationFactory)
    region = factory.SubFactory(
        OrganisationFactory,
        name=factory.Sequence(lambda n: f"Region {n}"),
        kind=OrganisationKind.REGION,
    )


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    site = factory.SubFactory(PilotSiteFactory)
    name = factory.Sequence(lambda n: f"Skola {n}")
    school_type = SchoolType.COMPULSORY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    site = factory.SubFactory(PilotSiteFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.WORKING
    actor = Actor.SCHOOL
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=30))


class InterestRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestRegistration

    municipality_name = factory.Sequence(lambda n: f"Demokommun {n}")
    region_name = "Region Demo"
    scope = "schools"
    schools = "Norra skolan\nSödra skolan"
    contact_name = "Kim Kontakt"
    contact_organisation = "Barn- och utbildningsförvaltningen"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    local_needs = "Fler elever söker stöd för oro och nedstämdhet."
    consent_to_store = True
    follow_token_digest = factory.LazyFunction(lambda: tokens.new_token()[1])


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    site = factory.SubFactory(PilotSiteFactory)
    role = Role.WORKING
    token_digest = factory.LazyFunction(lambda: tokens.new_token()[1])


class PlanDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanDocument
        django_get_or_create = ("site", "kind")

    site = factory.SubFactory(PilotSiteFactory)
    kind = DocumentKind.PROJECT_PLAN


class SteeringMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SteeringMeeting

    site = factory.SubFactory(PilotSiteFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=7))
    notes = "Genomgång av läget på skolorna."


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(SteeringMeetingFactory)
    text = factory.Sequence(lambda n: f"Arbetsgruppen prövar gemensam mottagning {n}.")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    site = factory.SubFactory(PilotSiteFactory)
    title = factory.Sequence(lambda n: f"Boka gemensam mottagning {n}")
    status = ActionStatus.OPEN
