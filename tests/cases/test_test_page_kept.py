"""The practical test page keeps its body, figures and measures (infra/kept.py, cases/kept.py)
under the site's count of changes, latest summary and chart settings: each test draws the page once, changes what it is drawn from or who
reads it, and reads it again."""

import datetime

import pytest

from cases.models import Closure
from dashboards.models import ChartSettings
from dashboards.services import build_summaries
from tests.cases.factories import CaseFactory

from .test_predictions import five_cases, predicted

pytestmark = pytest.mark.django_db


@pytest.fixture
def test(site_a):
    test = predicted(
        site_a, predicted_measure="resolved", predicted_comparator="at_least", predicted_value=4
    )
    five_cases(site_a, test, 3)
    build_summaries(site_a)
    return test


def sentence(response):
    return response.context["prediction"]


def test_a_drawing_for_the_working_group_is_not_shown_to_the_steering_group(
    client_for, member_a, steering_a, site_a, urls, test
):
    url = urls("test_detail", pk=test.pk)
    assert "3 av 5" in sentence(client_for(member_a).get(url))
    hidden = sentence(client_for(steering_a).get(url))
    assert "3 av 5" not in hidden and "litet tal" in hidden


def test_a_case_logged_in_the_test_is_counted_at_once(client_for, member_a, site_a, urls, test):
    client = client_for(member_a)
    url = urls("test_detail", pk=test.pk)
    assert "3 av 5" in sentence(client.get(url))
    CaseFactory(
        site=site_a,
        practical_test=test,
        first_contact_on=datetime.date(2018, 9, 12),
        closed_on=datetime.date(2018, 9, 20),
        closure=Closure.RESOLVED,
    )
    assert "4 av 6" in sentence(client.get(url))


def test_a_changed_prediction_is_read_at_once(client_for, member_a, urls, test):
    client = client_for(member_a)
    url = urls("test_detail", pk=test.pk)
    assert sentence(client.get(url)).endswith("3 av 5 — under förutsägelsen.")
    test.predicted_value = 3
    test.save()
    assert sentence(client.get(url)).endswith("3 av 5 — som förutsagt.")


def test_changed_chart_settings_redraw_the_measures(client_for, member_a, site_a, urls, test):
    client = client_for(member_a)
    url = urls("test_detail", pk=test.pk)
    assert "Anhøjs regler" in " ".join(client.get(url).content.decode().split())
    ChartSettings.objects.create(site=site_a, rules="ihi")
    words = " ".join(client.get(url).content.decode().split())
    assert "IHI:s regler" in words and "Anhøjs regler" not in words


def test_a_summary_built_without_a_change_of_data_draws_the_measures(
    client_for, member_a, site_a, urls
):
    # The nightly build also rebuilds when only the day moved on: the site's count of changes
    # stays, the summary is new, and the page must draw from it.
    test = predicted(
        site_a, predicted_measure="resolved", predicted_comparator="at_least", predicted_value=4
    )
    five_cases(site_a, test, 3)
    client = client_for(member_a)
    url = urls("test_detail", pk=test.pk)
    assert 'id="chart-measure-resolved"' not in client.get(url).content.decode()
    build_summaries(site_a)
    assert 'id="chart-measure-resolved"' in client.get(url).content.decode()


def test_the_second_reading_is_not_drawn_again(client_for, member_a, urls, test):
    client = client_for(member_a)
    url = urls("test_detail", pk=test.pk)
    first = client.get(url)
    assert "measures" in first.context and "prediction" in first.context
    second = client.get(url)
    # Neither the page's body nor its measures were drawn: the kept drawing was shown.
    assert "measures" not in second.context and "prediction" not in second.context
    assert second.context["body"] == first.context["body"]
    assert 'id="chart-measure-resolved"' in second.content.decode()
    assert "3 av 5" in second.content.decode()
