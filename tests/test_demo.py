import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.management import call_command
from django_scopes import scopes_disabled

from demo.programme.sites import LEAD_LEFT, SITES
from pilots.models import Membership, PilotSite, PlanVersion, Role, User


@pytest.mark.django_db
def test_seed_demo_loads_ten_sites_with_their_accounts_and_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    counts = {m: m.objects.count() for m in (PilotSite, User, Membership)}
    call_command("seed_demo", stdout=StringIO())
    assert {m: m.objects.count() for m in (PilotSite, User, Membership)} == counts

    assert PilotSite.objects.count() == 10
    assert authenticate(email="coordinator@example.org", password="triad-demo").is_coordinator
    for slug, *_ in SITES:
        site = PilotSite.objects.get(slug=slug)
        assert site.triad_complete
        assert site.schools.exists()
        for prefix, role in (
            ("lead", Role.LEAD),
            ("member", Role.WORKING),
            ("steering", Role.STEERING),
        ):
            user = authenticate(email=f"{prefix}@{slug}.example.org", password="triad-demo")
            assert user is not None, f"{prefix}@{slug}"
            assert Membership.objects.active().filter(site=site, user=user, role=role).exists()


@pytest.mark.django_db
def test_demo_people_are_fictional_and_use_example_addresses():
    call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exclude(email__endswith="example.org").exists()
    assert not User.objects.exclude(full_name__endswith="(demo)").exists()


@pytest.mark.django_db
def test_every_demo_account_signs_in_through_the_login_page_and_reaches_its_home(client):
    call_command("seed_demo", stdout=StringIO())
    accounts = ["coordinator@example.org"] + [
        f"{prefix}@{slug}.example.org"
        for slug, *_ in SITES
        for prefix in ("lead", "member", "steering")
    ]
    for email in accounts:
        client.logout()
        cache.clear()  # 31 sign-ins a minute from one address would trip the login rate limit
        response = client.post("/accounts/login/", {"login": email, "password": "triad-demo"})
        assert response.status_code == 302, email
        home = client.get(response.url)
        assert home.status_code == 200, email
        user = User.objects.get(email=email)
        for membership in Membership.objects.active().filter(user=user):
            assert membership.site.name in home.content.decode()
            assert client.get(membership.site.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_linkoping_lost_its_project_lead_mid_year_and_got_a_new_one_in_august():
    call_command("seed_demo", stdout=StringIO())
    site = PilotSite.objects.get(slug=LEAD_LEFT[0])
    leads = Membership.objects.filter(site=site, role=Role.LEAD).order_by("starts_on")
    former, current = leads
    assert former.ends_on == LEAD_LEFT[1] and former.end_reason
    assert current.starts_on == LEAD_LEFT[2] and current.succeeds == former
    assert current.user.email == f"lead@{site.slug}.example.org"
    # Over the summer the site had no project lead at all.
    summer = LEAD_LEFT[1] + datetime.timedelta(days=1)
    assert not Membership.objects.filter(site=site, role=Role.LEAD).active(on=summer).exists()
    # The spring's plans are the former lead's; the autumn's test is the new lead's.
    assert {v.author for v in PlanVersion.objects.filter(document__site=site)} == {former.user}
    with scopes_disabled():
        assert {t.created_by for t in site.practical_tests.all()} == {current.user}
