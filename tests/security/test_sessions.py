"""Sessions: a role removed or a person deactivated counts from their next request; a session
ends after 30 minutes idle and 10 hours in all; a sign-out leaves the old cookie worthless."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts import sessions
from infra.models import AuditEvent, AuditKind
from pilots.models import Membership, Role
from tests.pilots.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOGIN = reverse("account_login")


def sign_in(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("pilots:home")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def case_list(site):
    return reverse("cases:case_list", kwargs={"site_slug": site.slug})


def sent_to_login(response):
    return response.status_code == 302 and response.url.startswith(LOGIN)


# --- Roles and deactivation take effect at once ------------------------------------------------


def test_a_role_ended_yesterday_closes_the_site_on_the_next_request(client, member_a, site_a):
    sign_in(client, member_a)
    assert client.get(case_list(site_a)).status_code == 200
    membership = Membership.objects.get(user=member_a, site=site_a)
    membership.end(on=timezone.localdate() - datetime.timedelta(days=1), reason="Ny tjänst")
    assert client.get(case_list(site_a)).status_code == 404
    assert client.get(site_a.get_absolute_url()).status_code == 404


def test_a_role_changed_to_steering_loses_the_case_pages_on_the_next_request(
    client, member_a, site_a
):
    sign_in(client, member_a)
    assert client.get(case_list(site_a)).status_code == 200
    Membership.objects.filter(user=member_a, site=site_a).update(role=Role.STEERING)
    assert client.get(case_list(site_a)).status_code == 404
    assert client.get(site_a.get_absolute_url()).status_code == 200  # still follows the site


def test_a_deleted_membership_closes_the_site_on_the_next_request(client, member_a, site_a):
    sign_in(client, member_a)
    assert client.get(site_a.get_absolute_url()).status_code == 200
    Membership.objects.filter(user=member_a).delete()
    assert client.get(site_a.get_absolute_url()).status_code == 404


def test_deactivating_a_person_ends_every_one_of_their_sessions(client, member_a, lead_a):
    from django.test import Client

    laptop, phone, colleague = client, Client(), Client()
    keys = [sign_in(laptop, member_a), sign_in(phone, member_a)]
    colleague_key = sign_in(colleague, lead_a)
    assert Session.objects.filter(session_key__in=keys).count() == 2

    member_a.is_active = False
    member_a.save()

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert Session.objects.filter(session_key=colleague_key).exists()
    event = AuditEvent.objects.get(kind=AuditKind.SESSIONS_ENDED)
    assert event.user == member_a and event.detail == {"sessions": 2}

    # Even switched on again, the old cookies open nothing: they were deleted, not hidden.
    member_a.is_active = True
    member_a.save()
    for device in (laptop, phone):
        assert sent_to_login(device.get(reverse("pilots:home")))
    assert colleague.get(reverse("pilots:home")).status_code == 200


def test_deactivating_through_the_admin_ends_the_sessions(client, member_a):
    from django.test import Client

    from tests.pilots.factories import UserFactory

    key = sign_in(Client(), member_a)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:pilots_user_change", args=[member_a.pk])
    form = client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(is_active="", date_joined_0="2018-01-01", date_joined_1="08:00:00")
    data = {k: v for k, v in data.items() if not isinstance(v, list | tuple)}
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member_a.refresh_from_db()
    assert not member_a.is_active
    assert not Session.objects.filter(session_key=key).exists()


# --- Sign-in and sign-out ------------------------------------------------------------------------


def test_the_session_key_changes_at_sign_in(client, member_a):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    after = sign_in(client, member_a)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_an_old_cookie_has_no_access_after_sign_out(client, member_a, site_a):
    key = sign_in(client, member_a)
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # a copy of the cookie, replayed
    assert sent_to_login(client.get(case_list(site_a)))
    assert sent_to_login(client.get(reverse("pilots:home")))


# --- Idle and absolute timeouts ------------------------------------------------------------------


def test_defaults_are_30_minutes_idle_and_10_hours_in_all():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.TRIAD_SESSION_MAX_AGE == 10 * 60 * 60


def test_both_timeouts_are_configurable_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_AGE, s.TRIAD_SESSION_MAX_AGE)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        SESSION_COOKIE_AGE="900",
        TRIAD_SESSION_MAX_AGE="28800",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["900", "28800"], result.stderr


def test_a_session_idle_past_its_expiry_is_over(client, member_a):
    key = sign_in(client, member_a)
    # What 30 quiet minutes do: the stored session's expiry passes.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert sent_to_login(client.get(reverse("pilots:home")))


def test_working_renews_the_idle_time(client, member_a):
    key = sign_in(client, member_a)
    session = client.session
    session[sessions.SEEN_AT] = int(time.time()) - sessions.RENEW_AFTER - 1
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert client.get(reverse("pilots:home")).status_code == 200
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)


def test_a_page_within_the_minute_writes_no_session(client, member_a):
    sign_in(client, member_a)
    client.get(reverse("pilots:home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("pilots:home"))
    assert not [
        q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]


def test_a_session_ends_10_hours_after_sign_in_however_busy(client, member_a):
    key = sign_in(client, member_a)
    session = client.session
    now = int(time.time())
    session[sessions.LOGIN_AT] = now - settings.TRIAD_SESSION_MAX_AGE - 1
    session[sessions.SEEN_AT] = now  # busy right up to now
    session.save()
    assert sent_to_login(client.get(reverse("pilots:home")))
    assert not Session.objects.filter(session_key=key).exists()


def test_a_session_within_its_10_hours_goes_on(client, member_a):
    sign_in(client, member_a)
    session = client.session
    session[sessions.LOGIN_AT] = int(time.time()) - settings.TRIAD_SESSION_MAX_AGE + 60
    session.save()
    assert client.get(reverse("pilots:home")).status_code == 200


def test_the_nightly_scan_clears_expired_sessions_and_their_entries(member_a, lead_a):
    from allauth.usersessions.models import UserSession
    from django.test import Client

    from accounts.tasks import clear_expired_sessions

    old, current = sign_in(Client(), member_a), sign_in(Client(), lead_a)
    Session.objects.filter(session_key=old).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert clear_expired_sessions() == 1
    assert not Session.objects.filter(session_key=old).exists()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [current]
    assert "accounts.tasks.clear_expired_sessions" in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_a_person_sees_their_signed_in_devices_and_can_end_the_others(client, member_a):
    from django.test import Client

    other = Client()
    other_key = sign_in(other, member_a)
    sign_in(client, member_a)
    page = client.get(reverse("mfa_index")).content.decode()
    assert reverse("usersessions_list") in page  # in the account menu
    listing = client.get(reverse("usersessions_list"))
    assert listing.status_code == 200
    assert "Inloggade enheter" in listing.content.decode()
    client.post(reverse("usersessions_list"))
    assert not Session.objects.filter(session_key=other_key).exists()
    assert sent_to_login(other.get(reverse("pilots:home")))
    assert client.get(reverse("pilots:home")).status_code == 200
