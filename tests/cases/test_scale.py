"""seed_scale at a small size, and the case pages keeping their number of queries as a site's
cases and timelines grow (the timings themselves live only in `make bench`)."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse

from cases.models import Case, CaseConsent, CaseEvent, EventKind
from demo.scale import fiction
from demo.scale import national as scale
from pilots.models import Membership, PilotSite, Role, School, User

pytestmark = pytest.mark.django_db


def seed(**kwargs):
    return scale.seed(**{"sites": 2, "schools_per_site": 3, "cases": 40, **kwargs})


def lead_of(site):
    return User.objects.get(email=f"lead.{site.slug}@{fiction.DOMAIN}")


def test_seed_scale_adds_the_asked_for_numbers(capsys):
    call_command("seed_scale", "--sites=3", "--schools-per-site=4", "--cases=90")
    assert PilotSite.objects.count() == 3
    assert School.objects.count() == 12
    assert Case.objects.count() == 90
    for site in PilotSite.objects.all():
        roles = set(site.memberships.values_list("role", flat=True))
        assert roles == {Role.LEAD, Role.WORKING, Role.STEERING}
    assert "90 cases" in capsys.readouterr().out


def test_every_case_has_three_consents_and_a_timeline_from_its_first_contact():
    seed()
    assert not Case.objects.annotate(n=Count("consents")).exclude(n=3).exists()
    assert CaseConsent.objects.count() == 3 * Case.objects.count()
    for case in Case.objects.prefetch_related("events"):
        events = list(case.events.all())
        assert events[0].kind == EventKind.CONTACT
        assert events[0].occurred_on == case.first_contact_on
    assert CaseEvent.objects.count() > 2 * Case.objects.count()


def test_cases_of_a_site_use_its_prefix_and_run_on_per_year():
    seed()
    for site in PilotSite.objects.all():
        for year in site.cases.values_list("year", flat=True).distinct():
            numbers = sorted(site.cases.filter(year=year).values_list("number", flat=True))
            assert numbers == list(range(1, len(numbers) + 1))
        assert all(
            code.startswith(site.case_code_prefix)
            for code in site.cases.values_list("code", flat=True)
        )


def test_running_again_adds_a_new_batch_with_new_sites_and_codes():
    first = seed()
    second = seed()
    assert (first.first_site, second.first_site) == ("skala-1", "skala-3")
    assert PilotSite.objects.count() == 4
    assert Case.objects.count() == 80
    assert Case.objects.values("code").distinct().count() == 80
    assert Membership.objects.filter(role=Role.LEAD).count() == 4


def test_seed_scale_refuses_to_run_with_production_settings(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_scale", "--sites=1", "--schools-per-site=1", "--cases=1")
    assert not PilotSite.objects.exists()


def test_a_seeded_lead_signs_in_with_the_published_password(client):
    seed(sites=1, cases=3)
    site = PilotSite.objects.get()
    assert client.login(username=lead_of(site).email, password=fiction.PASSWORD)
    assert (
        client.get(reverse("cases:case_list", kwargs={"site_slug": site.slug})).status_code == 200
    )


# --- Queries stay the same however many cases a site has ----------------------------------


def queries(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def pages_of(site):
    case = site.cases.filter(closed_on__isnull=False).order_by("pk").first()
    return [
        reverse("cases:case_list", kwargs={"site_slug": site.slug}),
        reverse("cases:case_list", kwargs={"site_slug": site.slug}) + "?status=closed&page=2",
        reverse("cases:case_detail", kwargs={"site_slug": site.slug, "pk": case.pk}),
    ]


def test_case_pages_run_as_many_queries_at_a_large_site_as_at_a_small_one(
    client, django_assert_max_num_queries
):
    seed(sites=1, cases=60)
    seed(sites=1, cases=600)
    small, large = PilotSite.objects.order_by("pk")
    assert large.cases.count() == 10 * small.cases.count()
    counts = {}
    for site in (small, large):
        client.force_login(lead_of(site))
        counts[site.slug] = [
            queries(client, url, django_assert_max_num_queries) for url in pages_of(site)
        ]
    assert counts[small.slug] == counts[large.slug]


def test_a_case_in_a_practical_test_opens_with_no_more_queries_than_one_outside(
    client, django_assert_max_num_queries
):
    seed(sites=1, cases=40)
    site = PilotSite.objects.get()
    client.force_login(lead_of(site))
    in_test = site.cases.filter(practical_test__isnull=False).first()
    outside = site.cases.filter(practical_test__isnull=True).first()
    counts = [
        queries(
            client,
            reverse("cases:case_detail", kwargs={"site_slug": site.slug, "pk": c.pk}),
            django_assert_max_num_queries,
        )
        for c in (in_test, outside)
    ]
    assert counts[0] == counts[1]


def test_seed_scale_registers_the_new_sites_for_past_workshops_without_due_reminders():
    from django.utils import timezone

    from workshops.models import Delivery, Registration
    from workshops.reminders import due_reminders

    call_command("seed_scale", "--sites=4", "--schools-per-site=2", "--cases=20")
    assert set(Registration.objects.values_list("site", flat=True)) == set(
        PilotSite.objects.values_list("pk", flat=True)
    )
    assert Delivery.objects.exists()
    assert due_reminders(timezone.now()) == []
