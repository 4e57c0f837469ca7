import pytest
from django.core import mail
from django.urls import reverse

from exchange import tasks
from exchange.models import Announcement, AnnouncementDelivery, AnnouncementRead
from pilots.models import Role
from tests.pilots.factories import MembershipFactory

from .factories import AnnouncementFactory

pytestmark = pytest.mark.django_db


def test_coordinator_publishes_to_every_site_and_it_reaches_both_home_pages(
    client_for, coordinator, lead_a, member_b, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exchange:announcement_create"),
            {"title": "Workshop 3 flyttas", "body": "Ny dag: **4 september**.", "all_sites": "on"},
        )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    for person, site in ((lead_a, "site-a"), (member_b, "site-b")):
        client = client_for(person)
        assert "Workshop 3 flyttas" in client.get(reverse("pilots:home")).content.decode()
        site_home = client.get(reverse("pilots:site_home", kwargs={"site_slug": site}))
        assert "Workshop 3 flyttas" in site_home.content.decode()
        inbox = client.get(reverse("exchange:inbox")).content.decode()
        assert inbox.count(announcement.get_absolute_url()) == 1
    assert not mail.outbox  # not asked to e-mail


def test_announcement_to_chosen_sites_and_roles_reaches_only_them(
    client_for, site_a, site_b, lead_a, member_a, steering_a, member_b
):
    announcement = AnnouncementFactory(
        all_sites=False, sites=[site_a], roles=[Role.STEERING], title="Till styrgruppen"
    )
    assert client_for(steering_a).get(announcement.get_absolute_url()).status_code == 200
    for person in (member_a, member_b, lead_a):
        assert client_for(person).get(announcement.get_absolute_url()).status_code == 404
        assert (
            "Till styrgruppen"
            not in client_for(person).get(reverse("exchange:inbox")).content.decode()
        )
    assert set(announcement.recipients()) == {steering_a}


def test_reading_an_announcement_marks_it_read_once(client_for, member_a):
    announcement = AnnouncementFactory()
    client = client_for(member_a)
    client.get(announcement.get_absolute_url())
    client.get(announcement.get_absolute_url())
    assert AnnouncementRead.objects.filter(user=member_a, announcement=announcement).count() == 1
    # Read and not pinned: it leaves the home page but stays in the inbox.
    assert announcement.title not in client.get(reverse("pilots:home")).content.decode()
    assert announcement.title in client.get(reverse("exchange:inbox")).content.decode()


def test_pinned_announcement_stays_on_the_home_page_after_reading(client_for, member_a):
    announcement = AnnouncementFactory(pinned=True)
    client = client_for(member_a)
    client.get(announcement.get_absolute_url())
    assert announcement.title in client.get(reverse("pilots:home")).content.decode()


def test_mark_all_read(client_for, member_a):
    AnnouncementFactory.create_batch(3)
    client_for(member_a).post(reverse("exchange:announcements_read"))
    assert AnnouncementRead.objects.filter(user=member_a).count() == 3


def test_announcement_email_goes_once_per_person_even_when_the_task_runs_twice(
    site_a, lead_a, member_a, member_b, django_capture_on_commit_callbacks
):
    # A person with two roles at two sites still gets one e-mail.
    MembershipFactory(site=site_a, user=member_b, role=Role.STEERING)
    announcement = AnnouncementFactory(send_email=True, title="Viktigt")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_announcement(announcement.pk)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_announcement(announcement.pk)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([lead_a.email, member_a.email, member_b.email])
    assert AnnouncementDelivery.objects.count() == 3
    assert all("Viktigt" in m.subject for m in mail.outbox)


def test_announcement_email_is_queued_after_commit_and_in_the_recipients_language(
    client_for, coordinator, member_a, django_capture_on_commit_callbacks
):
    member_a.language = "en"
    member_a.save()
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("exchange:announcement_create"),
            {"title": "News", "body": "Text", "all_sites": "on", "send_email": "on"},
        )
    assert not mail.outbox and callbacks
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    (message,) = mail.outbox
    assert "The national coordinators have published an announcement" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_announcement_with_a_personal_identity_number_is_refused_in_swedish(
    client_for, coordinator
):
    response = client_for(coordinator).post(
        reverse("exchange:announcement_create"),
        {"title": "Om 640823-3234", "body": "Text", "all_sites": "on"},
    )
    assert response.status_code == 200
    assert "Ta bort personnumret eller samordningsnumret" in response.content.decode()
    assert not Announcement.objects.exists()


def test_inbox_queries_stay_bounded(client_for, coordinator, site_a, django_assert_max_num_queries):
    client = client_for(coordinator)
    AnnouncementFactory.create_batch(2, all_sites=False, sites=[site_a])
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("exchange:inbox"))
    AnnouncementFactory.create_batch(10, all_sites=False, sites=[site_a])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("exchange:inbox"))


def test_an_announcements_markdown_is_rendered_in_html_and_clean_in_plain_text(coordinator):
    """Issue 15: no raw ** or * in either part of the e-mail."""
    from infra.mail import render_email

    body = "**Trådar** finns nu.\n\n*Allt här är påhittat.*\n\n- en [länk](https://example.org/a)"
    announcement = type("A", (), {"title": "Nytt", "body": body})()
    mail = render_email(
        "exchange/email/announcement",
        {"person": coordinator, "announcement": announcement, "link": "x", "inbox_link": "y"},
        "sv",
    )
    assert "**" not in mail["text"] and "*Allt" not in mail["text"]
    assert (
        "Trådar finns nu.\n\nAllt här är påhittat.\n\n- en länk (https://example.org/a)"
        in (mail["text"])
    )
    assert (
        "<strong>Trådar</strong>" in mail["html"]
        and "<em>Allt här är påhittat.</em>" in (mail["html"])
    )
    assert "**" not in mail["html"] and "\x00" not in mail["html"] + mail["text"]
