"""The accessibility statement (lag 2018:1937): in Swedish, with what DIGG asks of one,
linked from every page's footer, editable by the coordinators only."""

import pytest
from django.urls import reverse

from infra.models import AccessibilityStatement

pytestmark = pytest.mark.django_db

URL = reverse("accessibility")


def test_anyone_reads_the_statement_with_what_digg_requires(client):
    html = client.get(URL).content.decode()
    for part in (
        "Tillgänglighetsredogörelse",
        "står bakom Triad",  # the actor and the service
        "delvis förenlig med lagen",  # the level of compliance
        "Innehåll som inte är tillgängligt",  # what is not, and why
        "Hur vi testat tjänsten",  # how it was assessed
        "Senaste bedömningen gjordes",  # and when
        "triad@example.org",  # a way to give feedback
        'href="https://www.digg.se/tdosanmalan"',  # DIGG's complaint form
    ):
        assert part in html, part


def test_every_page_links_to_it_from_its_footer(client_for, member_a, client):
    for response in (client.get(reverse("account_login")), client_for(member_a).get("/")):
        footer = response.content.decode().split("<footer", 1)[1]
        assert f'href="{URL}"' in footer


def test_a_coordinator_edits_it_and_others_may_not(client_for, coordinator, lead_a):
    edit = reverse("accessibility_edit")
    assert client_for(lead_a).get(edit).status_code == 403
    form = client_for(coordinator).get(edit).context["form"]
    data = {k: v for k, v in form.initial.items() if k in form.fields}
    data.update(compliance="full", not_accessible="Inget känt.", assessed_on="2026-11-30")
    response = client_for(coordinator).post(edit, data)
    assert response.status_code == 302
    statement = AccessibilityStatement.current()
    assert statement.compliance == "full"
    html = client_for(coordinator).get(URL).content.decode()
    assert "helt förenlig" in html and "Inget känt." in html and "2026-11-30" in html
