"""seed_scale's two further steps at a small size: a big city (`--city`, its own counts beside
the national-scale sites) and what the scale sites share (`--commons`, added once)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, PracticalTest, Vignette, VignetteResponse
from demo.scale import commons, fiction
from exchange.models import LibraryItem, Post, Thread
from pilots.models import PilotSite, SteeringMeeting

pytestmark = pytest.mark.django_db

CITY = ["--city", "--sites=1", "--schools-per-site=5", "--cases=300", "--tests-per-site=9"]


def test_a_city_has_its_own_counts_over_five_years_beside_the_scale_sites():
    call_command("seed_scale", "--sites=2", "--schools-per-site=2", "--cases=20")
    call_command("seed_scale", *CITY, "--weeks=260")
    city = PilotSite.objects.get(slug=f"{fiction.CITY_PREFIX}1")
    assert city.case_code_prefix == "STAD1"
    assert city.cases.count() == 300
    assert city.schools.count() == 5
    assert PracticalTest.objects.filter(site=city).count() == 9
    assert PracticalTest.objects.filter(site=city).values("title").distinct().count() == 9
    first = city.cases.order_by("first_contact_on").first().first_contact_on
    assert first < timezone.localdate() - datetime.timedelta(weeks=200)
    assert SteeringMeeting.objects.filter(site=city).count() == 260 // 8
    # The scale sites go on numbering after their own, not after the city.
    call_command("seed_scale", "--sites=1", "--schools-per-site=2", "--cases=5")
    assert PilotSite.objects.filter(slug="skala-3").exists()
    assert Case.objects.count() == 325


def test_the_commons_are_added_once_for_every_scale_site_and_the_city():
    call_command("seed_scale", "--sites=4", "--schools-per-site=2", "--cases=20")
    call_command("seed_scale", *CITY)
    call_command("seed_scale", "--commons")
    first = commons.counts()
    call_command("seed_scale", "--commons")
    assert commons.counts() == first
    assert Vignette.objects.filter(site=None).count() == 1
    answering = set(VignetteResponse.objects.values_list("site", flat=True))
    assert answering and answering <= set(PilotSite.objects.values_list("pk", flat=True))
    thread = Thread.objects.get(title=commons.THREAD_TITLE)
    assert thread.site is None
    assert Post.objects.filter(thread=thread).count() == commons.POSTS
    assert len(set(Post.objects.filter(thread=thread).values_list("author", flat=True))) > 2
    assert thread.last_post_at == Post.objects.filter(thread=thread).last().created_at
    assert LibraryItem.objects.filter(site=None).count() == 50 * len(commons.LIBRARY_TOPICS)
    assert LibraryItem.objects.exclude(site=None).count() == PilotSite.objects.count()


def test_the_commons_wait_for_the_scale_sites():
    call_command("seed_scale", "--commons")
    assert commons.counts() == {"vignette_responses": 0, "thread_posts": 0, "library_items": 0}
