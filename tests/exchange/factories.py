import factory
from django.core.files.base import ContentFile

from exchange.models import Announcement, LibraryItem, Post, Thread
from tests.pilots.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Nyhet {n}")
    body = "Hej alla områden!"
    all_sites = True

    @factory.post_generation
    def sites(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sites.set(extracted)


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    site = None
    title = factory.Sequence(lambda n: f"Tråd {n}")
    created_by = factory.SubFactory(UserFactory)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = "Hur gör ni?"


class LibraryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryItem

    site = None
    title = factory.Sequence(lambda n: f"Mall {n}")
    description = "En mall för praktiska test."
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="mall.pdf"))
    original_name = "mall.pdf"
    size = len(PDF)
