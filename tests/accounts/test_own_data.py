"""A person's own data (GDPR art. 15): every signed-in person downloads what Triad holds about
them as a PDF and as JSON; a coordinator produces it for a person who asks, with case codes as
counts; the collection walks every model linked to a person, so none is forgotten."""

import json

import pytest
from django.urls import reverse

from accounts import owndata
from cases.models import AccessAction, CaseAccess
from infra.models import AuditEvent, AuditKind
from tests.cases.factories import CaseFactory
from tests.dashboards.pdf_text import pdf_text
from tests.exchange.factories import PostFactory


def test_every_link_to_a_person_is_copied_or_excluded_with_a_reason():
    """A new model with a foreign key to a person fails here until it is decided."""
    keys = {key for key, _model, _field in owndata.person_links()}
    undecided = sorted(keys - set(owndata.SECTIONS) - set(owndata.EXCLUDED))
    assert not undecided, f"links to a person in neither SECTIONS nor EXCLUDED: {undecided}"
    assert not set(owndata.SECTIONS) & set(owndata.EXCLUDED)
    assert all(reason.strip() for reason in owndata.EXCLUDED.values())
    # And nothing listed that no longer exists.
    assert not (set(owndata.SECTIONS) | set(owndata.EXCLUDED)) - keys


@pytest.fixture
def read_case(site_a, member_a, client_for):
    case = CaseFactory(site=site_a)
    client_for(member_a).get(case.get_absolute_url())
    return case


def download(client, url, fmt):
    response = client.get(url + f"?format={fmt}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_a_person_downloads_their_own_data_as_json(member_a, site_a, read_case, client_for):
    post = PostFactory(author=member_a, body="Vi testade fem ärenden.")
    data = json.loads(download(client_for(member_a), reverse("accounts:own_data"), "json").decode())
    assert data["profile"]["E-postadress"] == member_a.email
    sections = {s["key"]: s for s in data["sections"]}
    memberships = sections["pilots.Membership.user"]["rows"]
    assert memberships[0]["Område"] == site_a.name and memberships[0]["Från"]
    reads = sections["cases.CaseAccess.user"]["rows"]
    assert [r["Ärendekod"] for r in reads] == [read_case.code]
    assert sections["exchange.Post.author"]["rows"][0]["Text"] == post.body
    # Signing in is a security event of theirs.
    assert "infra.AuditEvent.user" in sections
    # Never a secret.
    assert "password" not in json.dumps(data) and "pbkdf2" not in json.dumps(data)


def test_the_pdf_reads_as_text(member_a, read_case, client_for):
    pdf = download(client_for(member_a), reverse("accounts:own_data"), "pdf")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert member_a.full_name in text and read_case.code in text
    assert "Medlemskap" in text


def test_each_download_is_in_the_security_record(member_a, client_for):
    client_for(member_a).get(reverse("accounts:own_data") + "?format=json")
    event = AuditEvent.objects.get(kind=AuditKind.PERSONAL_DATA)
    assert event.user == member_a and event.detail["by_coordinator"] is False


def test_a_coordinator_produces_it_without_case_codes(coordinator, member_a, read_case, client_for):
    url = reverse("accounts:person_data", args=[member_a.pk])
    page = client_for(coordinator).get(url)
    assert member_a.full_name in page.content.decode()
    data = json.loads(download(client_for(coordinator), url, "json").decode())
    reads = {s["key"]: s for s in data["sections"]}["cases.CaseAccess.user"]
    assert reads["count"] == 1 and "rows" not in reads
    assert read_case.code not in json.dumps(data)
    assert read_case.code not in pdf_text(download(client_for(coordinator), url, "pdf"))


def test_a_coordinator_finds_the_person_by_address(coordinator, member_a, client_for):
    page = client_for(coordinator).get(reverse("accounts:find_person"), {"email": member_a.email})
    assert reverse("accounts:person_data", args=[member_a.pk]) in page.content.decode()


def test_others_may_not_produce_someone_elses(member_a, lead_a, client_for):
    url = reverse("accounts:person_data", args=[member_a.pk])
    assert client_for(lead_a).get(url + "?format=json").status_code == 403


def test_ending_a_persons_access_keeps_the_audit(site_a, member_a, read_case, client_for):
    """The membership ends and the account is closed: the access lines and security events
    still say who read what."""
    import datetime

    from django.utils import timezone

    membership = member_a.memberships.get()
    membership.end(on=timezone.localdate(), reason="Slutat")
    member_a.is_active = False
    member_a.save()
    line = CaseAccess.objects.get(action=AccessAction.VIEWED)
    assert (line.user, line.user_email, line.case_code) == (
        member_a,
        member_a.email,
        read_case.code,
    )
    assert AuditEvent.objects.filter(user=member_a).exists()
    # Even when the person is deleted, the lines stay with the copied address.
    email = member_a.email
    member_a.delete()
    line = CaseAccess.objects.get(action=AccessAction.VIEWED)
    assert (line.user, line.user_email) == (None, email)
    assert datetime.date.today()
