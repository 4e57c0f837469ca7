from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.management import call_command

from demo.programme.sites import SITES
from pilots.models import Membership, PilotSite, Role, User


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
