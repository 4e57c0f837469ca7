"""Calendars: a workshop as an .ics event, and each person's private, revocable feed."""

import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone

from tests.workshops.factories import RegistrationFactory, WorkshopFactory
from workshops.models import CalendarFeed


def events(body):
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_workshop_downloads_as_an_ics_event(client_for, member_a, workshop):
    workshop.online_link = "https://meet.example.org/triad"
    workshop.agenda = "Välkommen\nProjektplaner"
    workshop.save()
    response = client_for(member_a).get(
        reverse("workshops:workshop_ics", kwargs={"pk": workshop.pk})
    )
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".ics" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == workshop.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == workshop.ends_at.replace(microsecond=0)
    assert workshop.title in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == workshop.place
    assert "Projektplaner" in str(event["DESCRIPTION"])
    assert "https://meet.example.org/triad" in str(event["DESCRIPTION"])
    assert str(event["UID"]).startswith(f"workshop-{workshop.pk}@")


def test_event_uid_is_stable_so_calendars_update_instead_of_duplicating(
    client_for, member_a, workshop
):
    url = reverse("workshops:workshop_ics", kwargs={"pk": workshop.pk})
    client = client_for(member_a)
    first = events(client.get(url).content)[0]["UID"]
    workshop.title = "Nytt namn"
    workshop.save()
    assert events(client.get(url).content)[0]["UID"] == first


def create_feed(client):
    client.post(reverse("workshops:calendar_feed_manage"), {"action": "renew"})
    page = client.get(reverse("workshops:reminder_settings"))
    return page.context["feed_url"]


def test_personal_feed_lists_the_workshops_one_is_registered_for(
    client_for, client, member_a, site_a, workshop, programme
):
    other = WorkshopFactory(programme=programme, title="Inte anmäld")
    cancelled = WorkshopFactory(programme=programme, title="Avbokad")
    RegistrationFactory(workshop=workshop, user=member_a, site=site_a)
    RegistrationFactory(workshop=cancelled, user=member_a, site=site_a, cancelled_at=timezone.now())
    url = create_feed(client_for(member_a))
    assert url
    client.logout()  # calendar programs do not sign in: the secret address is enough
    response = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    summaries = [str(e["SUMMARY"]) for e in events(response.content)]
    assert len(summaries) == 1 and workshop.title in summaries[0]
    assert other.title not in response.content.decode()
    assert CalendarFeed.objects.get(user=member_a).last_fetched_at is not None


def test_feed_address_is_shown_only_once(client_for, member_a):
    client = client_for(member_a)
    assert create_feed(client)
    assert client.get(reverse("workshops:reminder_settings")).context["feed_url"] is None


def test_only_a_digest_of_the_feed_secret_is_stored(client_for, member_a):
    url = create_feed(client_for(member_a))
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in CalendarFeed.objects.get().token_digest


def test_renewing_the_feed_stops_the_old_address(client_for, client, member_a):
    member = client_for(member_a)
    old = create_feed(member).removeprefix("http://127.0.0.1:8000")
    new = create_feed(member).removeprefix("http://127.0.0.1:8000")
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_revoking_the_feed_stops_it(client_for, client, member_a):
    member = client_for(member_a)
    url = create_feed(member).removeprefix("http://127.0.0.1:8000")
    member.post(reverse("workshops:calendar_feed_manage"), {"action": "revoke"})
    assert not CalendarFeed.objects.exists()
    client.logout()
    assert client.get(url).status_code == 404


def test_unknown_feed_secret_is_404(client, db):
    url = reverse("workshops:calendar_feed", kwargs={"token": "not-a-real-secret"})
    assert client.get(url).status_code == 404


def test_feed_of_a_deactivated_person_stops(client_for, client, member_a):
    url = create_feed(client_for(member_a)).removeprefix("http://127.0.0.1:8000")
    member_a.is_active = False
    member_a.save()
    client.logout()
    assert client.get(url).status_code == 404


def test_event_times_are_absolute(client_for, member_a, workshop):
    body = (
        client_for(member_a)
        .get(reverse("workshops:workshop_ics", kwargs={"pk": workshop.pk}))
        .content
    )
    start = events(body)[0].decoded("DTSTART")
    assert start.utcoffset() == datetime.timedelta(0)
