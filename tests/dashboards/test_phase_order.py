"""A planning site's dashboard leads with plans, governance and workshops; a testing site's
with its practical tests (PilotSite.is_planning, by CSS order: the first flex item)."""

import re

import pytest
from django.urls import reverse

from dashboards.services import build_summaries
from pilots.models import Phase

pytestmark = pytest.mark.django_db


def leading_section(html):
    """The heading id of the block marked to come first."""
    match = re.search(r'class="[^"]*\border-first\b[^"]*"[^>]*>\s*(?:<section[^>]*)?', html)
    assert match, "no block leads"
    return re.search(r'aria-labelledby="([\w-]+)"', html[match.start() : match.end() + 200]).group(
        1
    )


@pytest.mark.parametrize(
    ("phase", "leads"), [(Phase.PLANNING, "gov-heading"), (Phase.TESTING, "tests-heading")]
)
def test_the_dashboard_leads_with_what_the_phase_is_about(phase, leads, site_a, lead_a, client):
    site_a.phase = phase
    site_a.save()
    build_summaries()
    client.force_login(lead_a)
    html = client.get(reverse("dashboards:site", kwargs={"site_slug": site_a.slug})).content
    assert leading_section(html.decode()) == leads
    assert html.decode().count("order-first") == 1
