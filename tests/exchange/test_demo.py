from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from demo.programme.exchange_content import ANNOUNCEMENT, THREAD
from exchange.models import Announcement, AnnouncementDelivery, LibraryItem, Thread
from pilots.models import Membership, PilotSite, User


@pytest.mark.django_db
def test_demo_announcement_reaches_every_site_once_and_two_sites_talk_about_a_test(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    announcement = Announcement.objects.get(title=ANNOUNCEMENT)
    people = Membership.objects.active().values("user").distinct().count()
    assert AnnouncementDelivery.objects.filter(announcement=announcement).count() == people
    assert len([m for m in mail.outbox if ANNOUNCEMENT in m.subject]) == people

    lead = User.objects.get(email="lead@uppsala.example.org")
    client.force_login(lead)
    for site in PilotSite.objects.filter(memberships__user=lead):
        assert ANNOUNCEMENT in client.get(site.get_absolute_url()).content.decode()

    thread = Thread.objects.get(title=THREAD)
    assert thread.practical_test is not None
    sites = {
        p.author.memberships.first().site.slug
        for p in thread.posts.exclude(author__is_coordinator=True)
    }
    assert sites == {"malmo", "uppsala"}
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert LibraryItem.objects.filter(site__isnull=True).exists()
    assert LibraryItem.objects.filter(site__slug="malmo").exists()
    assert client.get(reverse("exchange:library_list")).status_code == 200
