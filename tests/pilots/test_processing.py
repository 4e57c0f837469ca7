"""What Triad processes (personuppgiftsbehandling): the coordinators write it, everyone reads
it from the footer, and the retention it states is the retention job's own."""

from django.urls import reverse

from cases import retention
from pilots.models import ProcessingStatement
from tests.workshops.factories import ProgrammeFactory


def retention_text(client):
    html = client.get(reverse("pilots:processing")).content.decode()
    start = html.index('id="retention"')
    return " ".join(html[start : html.index("</ul>", start)].split())


def test_the_page_states_what_the_retention_job_uses(client_for, lead_a, site_a, settings):
    programme = ProgrammeFactory(name="Omgång 2018", sites=[site_a], case_retention_days=400)
    settings.TRIAD_CASE_RETENTION_DAYS = 200
    settings.TRIAD_ACCESS_LOG_RETENTION_YEARS = 5
    text = retention_text(client_for(lead_a))
    assert "Omgång 2018: tas bort 400 dagar" in text
    assert "tas bort 200 dagar" in text and "sparas 5 år" in text
    assert retention.retention_days(site_a) == 400

    programme.case_retention_days = 90
    programme.save()
    settings.TRIAD_CASE_RETENTION_DAYS = 30
    text = retention_text(client_for(lead_a))
    assert "Omgång 2018: tas bort 90 dagar" in text and "400" not in text
    assert "tas bort 30 dagar" in text
    assert retention.retention_days(site_a) == 90


def test_anyone_reads_it_from_the_footer(client, db):
    login = client.get(reverse("account_login")).content.decode()
    assert reverse("pilots:processing") in login
    page = client.get(reverse("pilots:processing"))
    assert page.status_code == 200 and "Personuppgiftsansvarig" in page.content.decode()


def test_coordinators_edit_it(client_for, coordinator, member_a):
    url = reverse("pilots:processing_edit")
    data = {
        "controller": "Nationella samordningen",
        "purposes": "Att samordna piloterna.",
        "categories": "Personal, pseudonyma ärenden.",
        "legal_basis": "Allmänt intresse.",
        "other_retention": "",
        "dpo_contact": "dso@example.org",
    }
    assert client_for(member_a).post(url, data).status_code == 403
    client_for(coordinator).post(url, data)
    statement = ProcessingStatement.current()
    assert statement.controller == "Nationella samordningen"
    assert statement.updated_by == coordinator
    assert (
        "dso@example.org" in client_for(member_a).get(reverse("pilots:processing")).content.decode()
    )
    refused = client_for(coordinator).post(url, {**data, "purposes": "Om 640823-3234"})
    assert refused.status_code == 200
    assert ProcessingStatement.current().purposes == "Att samordna piloterna."
