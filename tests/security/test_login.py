"""Signing in: MFA before any case page for everyone who can read cases, the password again
before exports, and failed sign-ins counted per account and address (and per account alone,
tests/security/test_sign_in_limits.py) in the shared cache."""

import runpy
import sys

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseAccess
from tests.cases.factories import CaseConsentFactory, CaseEventFactory, CaseFactory
from tests.pilots.factories import PASSWORD
from tests.test_mfa import totp_code, with_totp
from tests.test_permission_matrix import _any_kwargs, case_page_names

LOGIN = reverse("account_login")


def production_settings(monkeypatch, **extra):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DATABASE_URL", "postgres://triad:pw@localhost:5432/triad")
    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "triad.example.org")
    monkeypatch.delenv("TRIAD_REQUIRE_MFA_FOR_CASES", raising=False)
    # Read the settings afresh from this environment; the test run's own stay untouched.
    monkeypatch.delitem(sys.modules, "config.settings.base")
    return runpy.run_module("config.settings.production")


def case_urls(site):
    case = CaseFactory(site=site)
    event = CaseEventFactory(case=case)
    consent = CaseConsentFactory(case=case)
    for name in sorted(case_page_names()):
        params = set(_any_kwargs(name))
        kwargs = {"site_slug": site.slug}
        if "pk" in params:
            kwargs["pk"] = case.pk
        if "event_pk" in params:
            kwargs["event_pk"] = event.pk
        if "consent_pk" in params:
            kwargs["consent_pk"] = consent.pk
        yield reverse(name, kwargs=kwargs)


# --- MFA before any case page ---------------------------------------------------------------------


def test_production_turns_the_mfa_gate_on(monkeypatch):
    assert production_settings(monkeypatch)["TRIAD_REQUIRE_MFA_FOR_CASES"] is True


@pytest.mark.parametrize("who", ["lead_a", "member_a"])
def test_with_the_gate_on_no_case_page_opens_without_mfa(who, request, client, site_a, settings):
    """Every case page (found through its view class) and every method: set up MFA first,
    and nothing about a case is shown or recorded as read."""
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    person = request.getfixturevalue(who)
    client.force_login(person)
    urls = list(case_urls(site_a))
    assert len(urls) >= 10
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response.url == reverse("mfa_activate_totp"), url
    assert not CaseAccess.objects.exists()


def test_with_the_gate_on_signing_in_with_totp_opens_the_case_pages(
    client, member_a, site_a, settings
):
    settings.TRIAD_REQUIRE_MFA_FOR_CASES = True
    secret, _ = with_totp(member_a)
    response = client.post(LOGIN, {"login": member_a.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    url = reverse("cases:case_list", kwargs={"site_slug": site_a.slug})
    assert client.get(url).status_code == 200


# --- The password again before exports ------------------------------------------------------------


@pytest.mark.parametrize("name", ["case_export", "case_access_log_export"])
def test_an_export_asks_for_the_password_again(name, client, lead_a, site_a):
    case = CaseFactory(site=site_a)
    kwargs = {"site_slug": site_a.slug}
    if name == "case_access_log_export":
        kwargs["pk"] = case.pk
    url = reverse(f"cases:{name}", kwargs=kwargs)
    client.force_login(lead_a)  # signed in, but no password typed in this session
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not CaseAccess.objects.filter(action__in=["exported", "log_exported"]).exists()

    response = client.post(response.url, {"password": "wrong-password"})
    assert response.status_code == 200  # refused, asked again
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_changing_the_email_address_asks_for_the_password_again(client_for, member_a):
    response = client_for(member_a).post(
        reverse("account_email"), {"action_add": "", "email": "mia.ny@example.org"}
    )
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_changing_mfa_asks_for_the_password_again(client_for, member_a):
    response = client_for(member_a).get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))


# --- Failed sign-ins are throttled in the shared cache --------------------------------------------


def test_production_counts_in_redis_per_account_and_per_address(monkeypatch):
    production = production_settings(monkeypatch)
    assert production["CACHES"]["default"]["BACKEND"].endswith("RedisCache")
    limits = production["ACCOUNT_RATE_LIMITS"]["login_failed"].split(",")
    assert any(limit.endswith("/ip") for limit in limits)
    assert any(limit.endswith("/key") for limit in limits)  # per account and address
    assert production["ACCOUNT_RATE_LIMITS"]["login_failed_account"].endswith("/key")


def test_failed_sign_ins_from_many_browsers_at_one_address_lock_the_account_there(member_a):
    """The count is in the cache every web process shares, not in a session: five browsers
    at one address with one wrong guess each lock the account for the sixth there, right
    password or not. (Other addresses: tests/security/test_sign_in_limits.py.)"""
    for _ in range(5):
        Client(REMOTE_ADDR="10.0.0.1").post(LOGIN, {"login": member_a.email, "password": "guess"})
    response = Client(REMOTE_ADDR="10.0.0.1").post(
        LOGIN, {"login": member_a.email, "password": PASSWORD}
    )
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_admin_login_is_allauths_and_throttled_with_it(db):
    from tests.pilots.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    assert client.get(reverse("admin:login")).url.startswith(LOGIN)
    for _ in range(5):
        client.post(LOGIN + "?next=/admin/", {"login": staff.email, "password": "guess"})
    response = client.post(LOGIN + "?next=/admin/", {"login": staff.email, "password": PASSWORD})
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert client.get("/admin/").status_code == 302
