"""The nightly task, the refresh button and the command build the same summary."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from dashboards import tasks
from dashboards.models import SiteSummary, SummaryRequest, Trigger

from .factories import known_site


@pytest.fixture
def data(site_a, lead_a, member_a, steering_a, site_b):
    known_site(site_a, lead_a, member_a, steering_a)


def latest(site):
    return SiteSummary.objects.get(site=site, is_latest=True)


def test_the_command_and_the_nightly_task_produce_the_same_summary(data, site_a, site_b):
    tasks.build_all_summaries.delay()  # from nothing: every site
    by_task = {s: latest(s) for s in (site_a, site_b)}
    call_command("build_summaries", "--all")
    by_command = {s: latest(s) for s in (site_a, site_b)}
    for site in (site_a, site_b):
        assert by_task[site].pk != by_command[site].pk
        assert by_task[site].trigger == Trigger.NIGHTLY
        assert by_command[site].trigger == Trigger.COMMAND
        assert by_task[site].payload == by_command[site].payload


def test_the_command_builds_one_site(data, site_a, site_b):
    call_command("build_summaries", "--site", site_a.slug)
    assert SiteSummary.objects.filter(site=site_a).count() == 1
    assert not SiteSummary.objects.filter(site=site_b).exists()


def test_the_nightly_build_is_scheduled():
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"dashboards.tasks.build_all_summaries", "dashboards.tasks.scan_digests"} <= entries


def test_refresh_queues_the_build_after_commit(
    data, site_a, lead_a, client, django_capture_on_commit_callbacks
):
    client.force_login(lead_a)
    url = reverse("dashboards:site_refresh", kwargs={"site_slug": site_a.slug})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
    assert response.status_code == 302
    # Nothing is built until the request's transaction has committed.
    assert not SiteSummary.objects.filter(site=site_a).exists()
    assert SummaryRequest.objects.filter(site=site_a, requested_by=lead_a).count() == 1
    for callback in callbacks:
        callback()
    summary = latest(site_a)
    assert summary.trigger == Trigger.REFRESH and summary.cases_total == 4


def test_the_page_shows_the_summary_is_being_built_until_it_is(site_a, lead_a, client):
    client.force_login(lead_a)
    (old,) = tasks.build_summaries(site_a)
    SummaryRequest.objects.create(site=site_a, requested_by=lead_a)
    page = client.get(reverse("dashboards:site", kwargs={"site_slug": site_a.slug}))
    assert b'hx-trigger="every 3s"' in page.content
    status_url = reverse("dashboards:site_status", kwargs={"site_slug": site_a.slug})
    still = client.get(status_url, HTTP_HX_REQUEST="true")
    assert b"hx-trigger" in still.content and "HX-Refresh" not in still

    tasks.build_site_summary.delay(site_a.pk)
    done = client.get(status_url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    page = client.get(reverse("dashboards:site", kwargs={"site_slug": site_a.slug}))
    assert b'hx-trigger="every 3s"' not in page.content


def test_a_refresh_nobody_answered_for_long_is_not_shown_as_building(site_a, lead_a, client):
    client.force_login(lead_a)
    request = SummaryRequest.objects.create(site=site_a, requested_by=lead_a)
    SummaryRequest.objects.filter(pk=request.pk).update(
        requested_at=request.requested_at - datetime.timedelta(hours=2)
    )
    page = client.get(reverse("dashboards:site", kwargs={"site_slug": site_a.slug}))
    assert b'hx-trigger="every 3s"' not in page.content
