"""A practical test's prediction in figures, set against its result in a sentence computed from
its cases, and the site's measures drawn on its page with the prediction as a target line."""

import datetime

import pytest

from cases.models import Closure, PracticalTest
from dashboards.services import build_summaries
from tests.cases.factories import CaseFactory, PracticalTestFactory


def five_cases(site, test, resolved):
    for i in range(5):
        CaseFactory(
            site=site,
            practical_test=test,
            first_contact_on=datetime.date(2018, 9, 10) + datetime.timedelta(days=i),
            first_intervention_on=datetime.date(2018, 9, 12) + datetime.timedelta(days=2 * i),
            closed_on=datetime.date(2018, 10, 1),
            closure=Closure.RESOLVED if i < resolved else Closure.REFERRED,
            referred_to="" if i < resolved else "camhs",
        )


def predicted(site, **prediction):
    return PracticalTestFactory(site=site, planned_cases=5, **prediction)


@pytest.mark.parametrize(
    ("resolved", "comparator", "words"),
    [
        (3, "at_least", "Resultat: 3 av 5 — under förutsägelsen."),
        (4, "at_least", "Resultat: 4 av 5 — som förutsagt."),
        (4, "at_most", "Resultat: 4 av 5 — som förutsagt."),
        (5, "at_most", "Resultat: 5 av 5 — över förutsägelsen."),
    ],
)
def test_the_result_is_set_against_the_prediction_in_a_sentence(
    client_for, member_a, site_a, urls, resolved, comparator, words
):
    # "Predicted: at least 4 of 5 resolved at the first line. Result: 3 of 5 — below the
    # prediction.", in Swedish, the page's language.
    test = predicted(
        site_a, predicted_measure="resolved", predicted_comparator=comparator, predicted_value=4
    )
    five_cases(site_a, test, resolved)
    page = client_for(member_a).get(urls("test_detail", pk=test.pk))
    sentence = page.context["prediction"]
    comparison = "minst" if comparator == "at_least" else "högst"
    assert sentence == f"Förutsägelse: {comparison} 4 av 5 lösta i första linjen. {words}"
    assert sentence in " ".join(page.content.decode().split())


def test_the_sentence_is_swedish_and_days_are_a_median(client_for, member_a, site_a, urls):
    # Days to first intervention of the five cases: 2, 3, 4, 5, 6 (contact one day later each,
    # intervention two days later each): median 4. "At most 3": above the prediction.
    test = predicted(
        site_a, predicted_measure="days", predicted_comparator="at_most", predicted_value=3
    )
    five_cases(site_a, test, 5)
    sentence = client_for(member_a).get(urls("test_detail", pk=test.pk)).context["prediction"]
    assert sentence == (
        "Förutsägelse: mediandagar till första insats högst 3. "
        "Resultat: 4 dagar — över förutsägelsen."
    )


def test_a_test_without_a_prediction_in_figures_has_no_sentence(client_for, member_a, site_a, urls):
    test = predicted(site_a)
    five_cases(site_a, test, 3)
    page = client_for(member_a).get(urls("test_detail", pk=test.pk))
    assert page.context["prediction"] is None
    assert 'id="prediction-result"' not in page.content.decode()


def test_a_steering_member_sees_no_small_number_in_the_sentence(
    client_for, steering_a, site_a, urls
):
    test = predicted(
        site_a, predicted_measure="resolved", predicted_comparator="at_least", predicted_value=4
    )
    five_cases(site_a, test, 3)
    sentence = client_for(steering_a).get(urls("test_detail", pk=test.pk)).context["prediction"]
    assert sentence.endswith("Resultat: visas inte, eftersom det skulle visa ett litet tal.")
    assert "3 av 5" not in sentence


def test_the_test_page_draws_the_sites_measures_split_at_its_start_with_its_target(
    client_for, member_a, site_a, urls
):
    # Six weeks of one case before the test (from 2018-07-30), then the test's five cases in
    # its first week (2018-09-10). The prediction "at least 4 of 5 resolved" is a target of
    # 80 % on the resolved chart.
    for week in range(6):
        CaseFactory(
            site=site_a,
            first_contact_on=datetime.date(2018, 7, 30) + datetime.timedelta(weeks=week),
        )
    test = predicted(
        site_a, predicted_measure="resolved", predicted_comparator="at_least", predicted_value=4
    )
    five_cases(site_a, test, 3)
    build_summaries(site_a)
    page = client_for(member_a).get(urls("test_detail", pk=test.pk))
    charts = {c["key"]: c for c in page.context["measures"]}
    cases = charts["cases"]
    assert cases["labels"][0] == "2018-07-30" and cases["labels"][6] == "2018-09-10"
    assert cases["values"][:7] == [1, 1, 1, 1, 1, 1, 5]
    # Two phases: before the test (median 1) and from its week on.
    assert cases["phases"] == [0, 6]
    assert cases["centre"][0] == 1
    assert charts["resolved"]["target"] == 80.0
    assert {"at": 6, "text": f"Start: {test.title}", "label": "2018-09-10"} in cases["marks"]
    assert 'id="chart-measure-resolved"' in page.content.decode()


def test_half_a_prediction_is_refused():
    test = PracticalTest(predicted_measure="resolved", predicted_value=None)
    with pytest.raises(Exception, match="Ange måttet, jämförelsen och värdet"):
        test.clean()
