import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from pilots.models import Role
from workshops.models import (
    Deliverable,
    DeliverableKind,
    Delivery,
    DeliveryStatus,
    Material,
    Programme,
    Registration,
    Workshop,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")

    @factory.post_generation
    def sites(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sites.set(extracted)


class WorkshopFactory(factory.django.DjangoModelFactory):
    """By default: registration open now, the workshop three weeks ahead."""

    class Meta:
        model = Workshop

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    theme = "Tidiga insatser för psykisk hälsa"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=6))
    place = "Folkets hus, Stockholm"
    invited_roles = factory.LazyFunction(lambda: [Role.LEAD, Role.WORKING, Role.STEERING])
    registration_opens_at = factory.LazyAttribute(
        lambda o: o.starts_at - datetime.timedelta(days=42)
    )
    registration_closes_at = factory.LazyAttribute(
        lambda o: o.starts_at - datetime.timedelta(days=7)
    )


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    workshop = factory.SubFactory(WorkshopFactory)
    kind = DeliverableKind.PROJECT_PLAN
    title = factory.Sequence(lambda n: f"Deliverable {n}")
    due_at = factory.LazyAttribute(lambda o: o.workshop.starts_at - datetime.timedelta(days=7))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    workshop = factory.SubFactory(WorkshopFactory)
    user = factory.SubFactory("tests.pilots.factories.UserFactory")
    site = factory.SubFactory("tests.pilots.factories.PilotSiteFactory")


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    deliverable = factory.SubFactory(DeliverableFactory)
    site = factory.SubFactory("tests.pilots.factories.PilotSiteFactory")
    status = DeliveryStatus.SUBMITTED
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="plan.pdf"))
    original_name = "plan.pdf"
    submitted_at = factory.LazyFunction(timezone.now)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    workshop = factory.SubFactory(WorkshopFactory)
    title = "Bilder från dagen"
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="bilder.pdf"))
    original_name = "bilder.pdf"
    size = len(PDF)
