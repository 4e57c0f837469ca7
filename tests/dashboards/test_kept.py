"""The dashboards' kept drawings (infra/kept.py): a site's dashboard is drawn once per
summary, chart settings, phase, audience and language, and a drawing is never shown to someone it
was not drawn for. Each test draws the page for one reader first, then reads it as another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.models import ChartSettings
from dashboards.services import build_summaries
from pilots.models import Phase
from tests.cases.factories import CaseFactory
from tests.cases.five_cases import five_case_test

from .test_small_numbers import NOTE, tile

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site_a, site_b):
    five_case_test(site_a)
    build_summaries()
    return site_a


def dashboard(client, site):
    return client.get(reverse("dashboards:site", kwargs={"site_slug": site.slug}))


def test_a_drawing_for_the_steering_group_is_not_shown_to_the_lead(
    world, client_for, lead_a, steering_a
):
    seen = dashboard(client_for(steering_a), world).content.decode()
    assert tile(seen, "Öppna") == "1–4" and NOTE in seen
    exact = dashboard(client_for(lead_a), world).content.decode()
    assert tile(exact, "Öppna") == "2" and NOTE not in exact


def test_a_drawing_for_the_lead_is_not_shown_to_the_steering_group(
    world, client_for, lead_a, steering_a
):
    assert tile(dashboard(client_for(lead_a), world).content.decode(), "Öppna") == "2"
    seen = dashboard(client_for(steering_a), world).content.decode()
    assert tile(seen, "Öppna") == "1–4" and NOTE in seen


def test_a_drawing_in_swedish_is_not_shown_in_english(world, client_for, lead_a, steering_a):
    client = client_for(lead_a)
    assert "Mått över tid" in dashboard(client, world).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = dashboard(client, world).content.decode()
    assert "Measures over time" in english and "Mått över tid" not in english


def test_changed_chart_settings_are_drawn_at_once(world, client_for, lead_a, steering_a):
    client = client_for(lead_a)
    words = " ".join(dashboard(client, world).content.decode().split())
    assert "läst med Anhøjs regler" in words
    ChartSettings.objects.create(site=world, rules="ihi")
    words = " ".join(dashboard(client, world).content.decode().split())
    assert "läst med IHI:s regler för seriediagram" in words and "Anhøjs regler" not in words


def test_a_rebuilt_summary_is_drawn_at_once(world, client_for, lead_a, steering_a):
    client = client_for(lead_a)
    assert tile(dashboard(client, world).content.decode(), "Ärenden") == "5"
    CaseFactory(site=world)
    build_summaries(world)
    assert tile(dashboard(client, world).content.decode(), "Ärenden") == "6"


def test_a_new_phase_reorders_the_sections_at_once(world, client_for, lead_a, steering_a):
    client = client_for(lead_a)
    world.phase = Phase.PLANNING
    world.save()
    planning = dashboard(client, world).content.decode()
    world.phase = Phase.TESTING
    world.save()
    testing = dashboard(client, world).content.decode()

    def leads_with_tests(page):
        return 'mb-4 order-first" aria-labelledby="tests-heading"' in page

    assert not leads_with_tests(planning) and leads_with_tests(testing)


def test_the_second_reading_is_not_drawn_again(world, client_for, lead_a, steering_a):
    client = client_for(lead_a)
    first = dashboard(client, world)
    assert "charts" in first.context  # drawn on this request
    with CaptureQueriesContext(connection) as queries:
        second = dashboard(client, world)
    assert "charts" not in second.context  # taken as it was drawn
    # Nor are the summary's figures read: for a big city they are five years of weeks.
    assert not [q["sql"] for q in queries if "payload" in q["sql"]]
    assert second.context["body"] == first.context["body"]
    assert tile(second.content.decode(), "Öppna") == "2"
