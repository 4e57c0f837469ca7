"""Consent to share, given, can later be withdrawn (issue 13, finding 7): when, and which staff
role received it, kept in the case's history; withdrawn consent no longer counts as given."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AccessAction, CaseAccess, CaseChange, ChangeKind, ConsentStatus
from cases.summaries import summarise
from pilots.models import Actor
from tests.cases.conftest import case_data
from tests.cases.factories import CaseConsentFactory, CaseFactory

GIVEN_ON = datetime.date(2018, 9, 12)


@pytest.fixture
def consent(site_a):
    return CaseConsentFactory(case=CaseFactory(site=site_a), recorded_on=GIVEN_ON)


def withdraw_url(consent):
    case = consent.case
    return reverse(
        "cases:consent_withdraw",
        kwargs={"site_slug": case.site.slug, "pk": case.pk, "consent_pk": consent.pk},
    )


def withdraw(client, consent, day="2018-10-01", role="counsellor"):
    return client.post(withdraw_url(consent), {"withdrawn_on": day, "withdrawn_by_role": role})


def test_consent_given_is_withdrawn_with_the_day_and_the_staff_role(client_for, member_a, consent):
    client = client_for(member_a)
    assert client.get(withdraw_url(consent)).status_code == 200
    response = withdraw(client, consent)
    assert response.status_code == 302
    assert response.url == consent.case.get_absolute_url()
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.WITHDRAWN
    assert consent.withdrawn_on == datetime.date(2018, 10, 1)
    assert consent.withdrawn_by_role == "counsellor"
    assert consent.recorded_on == GIVEN_ON  # when it was given stays
    # The page was opened, then the change made: both in the access log.
    actions = CaseAccess.objects.filter(user=member_a).order_by("pk").values_list("action")
    assert [a for (a,) in actions] == [AccessAction.VIEWED, AccessAction.CHANGED]


def test_the_history_and_the_case_page_show_the_withdrawal(client_for, member_a, consent):
    client = client_for(member_a)
    withdraw(client, consent)
    change = CaseChange.objects.get(case=consent.case, what=ChangeKind.CONSENT_WITHDRAWN)
    assert change.changed_by == member_a
    fields = {c["field"]: c["new"] for c in change.changes}
    assert fields["consent:school:status"] == ConsentStatus.WITHDRAWN
    assert fields["consent:school:withdrawn_on"] == "2018-10-01"
    assert fields["consent:school:withdrawn_by_role"] == "counsellor"
    kwargs = {"site_slug": consent.case.site.slug, "pk": consent.case.pk}
    with translation.override("sv"):
        history = client.get(reverse("cases:case_history", kwargs=kwargs)).content.decode()
        detail = client.get(reverse("cases:case_detail", kwargs=kwargs)).content.decode()
    assert "Samtycke återkallat" in history
    assert "Kurator" in history
    assert "Återkallat" in detail and "mottaget av kurator" in detail


def test_the_case_page_offers_withdrawal_only_of_consent_given(client_for, member_a, consent):
    url = reverse(
        "cases:case_detail", kwargs={"site_slug": consent.case.site.slug, "pk": consent.case.pk}
    )
    client = client_for(member_a)
    assert withdraw_url(consent) in client.get(url).content.decode()
    withdraw(client, consent)
    assert withdraw_url(consent) not in client.get(url).content.decode()


@pytest.mark.parametrize("status", [ConsentStatus.NOT_ASKED, ConsentStatus.DECLINED, "withdrawn"])
def test_only_consent_given_can_be_withdrawn(status, client_for, member_a, site_a):
    case = CaseFactory(site=site_a)
    fields = {"status": status, "given_by": "", "recorded_on": None}
    if status == ConsentStatus.DECLINED:
        fields.update(given_by="guardian", recorded_on=GIVEN_ON)
    if status == "withdrawn":
        fields.update(recorded_on=GIVEN_ON, withdrawn_on=GIVEN_ON, withdrawn_by_role="school_nurse")
    consent = CaseConsentFactory(case=case, **fields)
    client = client_for(member_a)
    assert client.get(withdraw_url(consent)).url == case.get_absolute_url()
    assert withdraw(client, consent).url == case.get_absolute_url()
    consent.refresh_from_db()
    assert consent.status == status
    assert not CaseChange.objects.exists()


def test_consent_cannot_be_withdrawn_before_it_was_given(client_for, member_a, consent):
    response = withdraw(client_for(member_a), consent, day="2018-09-01")
    assert response.status_code == 200
    assert "2018-09-12" in response.content.decode()
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GIVEN


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "tomorrow"])
def test_the_day_of_withdrawal_follows_the_case_date_rule(day, client_for, member_a, consent):
    if day == "tomorrow":
        day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert withdraw(client_for(member_a), consent, day=day).status_code == 200
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GIVEN


def test_the_staff_role_is_required(client_for, member_a, consent):
    assert withdraw(client_for(member_a), consent, role="").status_code == 200
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GIVEN


def test_another_cases_consent_is_not_found_through_this_case(client_for, member_a, consent):
    other = CaseFactory(site=consent.case.site)
    url = reverse(
        "cases:consent_withdraw",
        kwargs={"site_slug": other.site.slug, "pk": other.pk, "consent_pk": consent.pk},
    )
    assert client_for(member_a).post(url, {"withdrawn_on": "2018-10-01"}).status_code == 404
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GIVEN


def test_withdrawn_consent_no_longer_counts_as_given(client_for, member_a, consent):
    cases = consent.case.site.cases.all()
    assert summarise(cases).consent_given[Actor.SCHOOL] == 1
    withdraw(client_for(member_a), consent)
    assert summarise(cases).consent_given[Actor.SCHOOL] == 0


def edit(client, case, **consent):
    data = case_data(case.site, first_contact_on=case.first_contact_on.isoformat())
    data.update({f"consent-school-{k}": v for k, v in consent.items()})
    url = reverse("cases:case_edit", kwargs={"site_slug": case.site.slug, "pk": case.pk})
    return client.post(url, data)


def test_editing_the_case_keeps_a_withdrawal_or_gives_consent_anew(client_for, member_a, consent):
    client = client_for(member_a)
    withdraw(client, consent)
    kept = {"status": "withdrawn", "given_by": "child", "recorded_on": "2018-09-12"}
    assert edit(client, consent.case, **kept).status_code == 302
    consent.refresh_from_db()
    assert (consent.status, consent.withdrawn_by_role) == ("withdrawn", "counsellor")
    anew = {"status": "given", "given_by": "guardian", "recorded_on": "2018-11-01"}
    assert edit(client, consent.case, **anew).status_code == 302
    consent.refresh_from_db()
    assert (consent.status, consent.withdrawn_on, consent.withdrawn_by_role) == ("given", None, "")


def test_the_case_form_does_not_offer_withdrawal_without_its_page(client_for, member_a, consent):
    response = edit(
        client_for(member_a), consent.case, status="withdrawn", recorded_on="2018-10-01"
    )
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GIVEN


def test_the_database_refuses_a_withdrawal_without_day_and_role(consent):
    consent.status = ConsentStatus.WITHDRAWN
    with pytest.raises(IntegrityError), transaction.atomic():
        consent.save()


def test_the_case_form_links_to_withdrawal_and_then_says_when(client_for, member_a, consent):
    client = client_for(member_a)
    url = reverse(
        "cases:case_edit", kwargs={"site_slug": consent.case.site.slug, "pk": consent.case.pk}
    )
    assert withdraw_url(consent) in client.get(url).content.decode()
    withdraw(client, consent)
    with translation.override("sv"):
        page = client.get(url).content.decode()
    assert withdraw_url(consent) not in page
    assert "mottaget av kurator" in page


def test_the_withdrawal_form_starts_at_today(client_for, member_a, consent):
    page = client_for(member_a).get(withdraw_url(consent)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
