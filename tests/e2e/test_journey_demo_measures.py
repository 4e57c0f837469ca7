"""Issue 14 in the browser, on the seeded demo: Malmö's project lead reads the site's measures on
its dashboard and around a practical test, each chart drawn from the figures the page carries
and the site's tests marked on it."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from demo.programme.people import DEMO_PASSWORD

from .browser import sign_in, sv

pytestmark = pytest.mark.e2e

# What each measure's chart holds, read from Chart.js: the points and the centre line.
DRAWN = """key => {
  const chart = Chart.getChart(document.getElementById("chart-measure-" + key));
  return chart && {values: chart.data.datasets[0].data, centre: chart.data.datasets[1].data,
                   marks: chart.options.plugins.triadMarks.marks.length};
}"""


def carried(page):
    """The measures the page carries as data (its json_script), by key."""
    data = json.loads(page.locator("#dashboard-charts").text_content())
    return {m["key"]: m for m in data["measures"]}


def check_drawn(page, measures):
    """Every measure on the page is drawn with the values and centre line it carries."""
    for key, measure in measures.items():
        drawn = page.evaluate(DRAWN, key)
        assert drawn is not None, f"{key} is not drawn"
        assert drawn["values"] == measure["values"], key
        assert drawn["centre"] == measure["centre"], key
        assert drawn["marks"] == len(measure["marks"]), key


def test_journey_demo_a_lead_reads_the_measures_and_sees_the_tests_marked(browser_for):
    call_command("seed_demo", stdout=StringIO())
    lead = browser_for("lead")
    page = sign_in(lead, "lead@malmo.example.org", DEMO_PASSWORD)

    page.goto(lead.base_url + reverse("dashboards:site", kwargs={"site_slug": "malmo"}))
    expect(page.locator("#measures-heading")).to_have_text(sv("Measures over time"))
    measures = carried(page)
    assert len(measures) >= 3
    check_drawn(page, measures)
    # The site's practical tests are marked on the charts, by name, at their start.
    assert any(m["text"].startswith("Start:") for m in measures["cases"]["marks"])
    # Malmö's joint reception shortened the days to a first intervention: a signal, said.
    days = page.locator("#measure-days")
    expect(days).to_contain_text(sv("Signal"))
    lead.check("site dashboard with its measures")

    page.goto(
        lead.base_url + reverse("cases:test_list", kwargs={"site_slug": "malmo"}),
    )
    page.locator("main table tbody a").first.click()
    page.wait_for_url("**/sites/malmo/tests/*/")
    measures = carried(page)
    check_drawn(page, measures)
    # The test's own start splits its charts into before and after.
    assert all(len(m["phases"]) == 2 for m in measures.values())
    lead.check("practical test with its measures")
