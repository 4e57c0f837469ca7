"""Dates about a case or a child lie between 2000-01-01 and today (cases/models/dates.py): every
such field says so with one field type, and every form that takes one gives the same Swedish
message for 0001-01-01, 9999-12-31 and tomorrow."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from cases.forms import (
    CaseForm,
    CloseForm,
    ConsentForm,
    ConsentWithdrawalForm,
    EventForm,
    SessionForm,
)
from cases.models import Case, CaseConsent, ConsentStatus
from cases.models.dates import CaseDateField, validate_case_date
from pilots.models import Actor
from tests.cases.conftest import case_data
from tests.cases.factories import CaseFactory, InterventionFactory, InterventionGroupFactory

# Dates of this app that are not about a case or a child: plans, which may lie ahead, and a
# date the application stamps itself.
NOT_ABOUT_A_CASE = {
    "cases.PracticalTest.starts_on": "a test is planned ahead",
    "cases.PracticalTest.ends_on": "a test is planned ahead",
    "cases.PracticalTest.decided_on": "the site's decision about a test, not a child",
    "cases.Intervention.starts_on": "an intervention at a school is planned ahead",
    "cases.Intervention.ends_on": "an intervention at a school is planned ahead",
    "cases.AccessReview.month": "the month of the access record reviewed, set by Triad",
    "cases.FidelityCheck.checked_on": "stamped by the application (auto_now)",
}


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def wrong_dates():
    return ["0001-01-01", "9999-12-31", "1999-12-31", tomorrow().isoformat()]


def message():
    with translation.override("sv"):
        try:
            validate_case_date(datetime.date(1, 1, 1))
        except ValidationError as error:
            return error.messages[0]
    raise AssertionError


def test_the_message_is_swedish_and_names_both_ends():
    text = message()
    assert text.startswith("Ett datum i ett ärende")
    assert "2000-01-01" in text and timezone.localdate().isoformat() in text


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "tomorrow"])
def test_the_rule_refuses(day):
    value = tomorrow() if day == "tomorrow" else datetime.date.fromisoformat(day)
    with pytest.raises(ValidationError):
        validate_case_date(value)


def test_the_rule_takes_the_ends():
    validate_case_date(datetime.date(2000, 1, 1))
    validate_case_date(timezone.localdate())
    validate_case_date(None)


def test_every_date_of_this_app_follows_the_rule_unless_it_is_a_plan():
    missing = []
    for model in apps.get_app_config("cases").get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.DateField) or isinstance(field, models.DateTimeField):
                continue
            name = f"{model._meta.label}.{field.name}"
            if isinstance(field, CaseDateField):
                assert validate_case_date in field.validators, name
                assert name not in NOT_ABOUT_A_CASE, f"{name} is listed but follows the rule"
            elif name not in NOT_ABOUT_A_CASE:
                missing.append(name)
    assert not missing, f"dates without the case-date rule (CaseDateField): {missing}"


# --- Every form that takes one ------------------------------------------------------------------


def case_form(site, case, field, day):
    data = case_data(site, **{field: day})
    if field == "sip_started_on":
        data["sip_started"] = "on"
    return CaseForm(data, site=site)


def consent_form(site, case, field, day):
    prefix = f"consent-{Actor.SCHOOL}"
    data = {f"{prefix}-status": "given", f"{prefix}-given_by": "child", f"{prefix}-{field}": day}
    return ConsentForm(data, actor=Actor.SCHOOL)


def close_form(site, case, field, day):
    data = {field: day, "closure": "resolved", "outcome": "improved"}
    return CloseForm(data, instance=case)


def event_form(site, case, field, day):
    data = {field: day, "actor": "school", "level": "individual", "kind": "contact"}
    return EventForm(data, case=case)


def withdrawal_form(site, case, field, day):
    consent = CaseConsent(
        case=case,
        actor=Actor.SCHOOL,
        status=ConsentStatus.GIVEN,
        recorded_on=datetime.date(2000, 1, 1),
    )
    return ConsentWithdrawalForm({field: day, "withdrawn_by_role": "counsellor"}, instance=consent)


def session_form(site, case, field, day):
    intervention = site.interventions.first() or InterventionFactory(site=site)
    group = intervention.groups.first() or InterventionGroupFactory(intervention=intervention)
    return SessionForm(
        {field: day, "instructors": "Två instruktörer", "groups": [group.pk], "attendance": "20"},
        intervention=group.intervention,
    )


FORMS = [
    (case_form, "first_contact_on"),
    (case_form, "sip_started_on"),
    (consent_form, "recorded_on"),
    (close_form, "closed_on"),
    (event_form, "occurred_on"),
    (withdrawal_form, "withdrawn_on"),
    (session_form, "held_on"),
]


# Dates no form takes: the timeline's earliest intervention sets the first intervention, so an
# entry's date (occurred_on, tried above) is what reaches it.
DERIVED = {"first_intervention_on"}


def test_every_case_date_of_a_form_is_tried():
    tried = {field for _form, field in FORMS} | DERIVED
    fields = {
        field.name
        for model in apps.get_app_config("cases").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, CaseDateField)
    }
    assert fields <= tried


@pytest.mark.parametrize(("make", "field"), FORMS, ids=[f for _m, f in FORMS])
def test_a_form_refuses_a_date_outside_the_range_with_the_message(make, field, site_a):
    case = CaseFactory(site=site_a, first_contact_on=datetime.date(2000, 1, 1))
    with translation.override("sv"):
        for day in wrong_dates():
            form = make(site_a, case, field, day)
            assert not form.is_valid(), f"{field}={day}"
            assert message() in form.errors.get(field, []), f"{field}={day}: {form.errors}"
        form = make(site_a, case, field, timezone.localdate().isoformat())
        assert field not in form.errors, form.errors


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "tomorrow"])
def test_a_case_cannot_be_logged_with_a_first_contact_outside_the_range(
    day, client_for, member_a, site_a
):
    """Finding 7: 0001-01-01 and 9999-12-31 were accepted as a case's first contact."""
    day = tomorrow().isoformat() if day == "tomorrow" else day
    url = reverse("cases:case_create", kwargs={"site_slug": site_a.slug})
    response = client_for(member_a).post(url, case_data(site_a, first_contact_on=day))
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert "2000-01-01" in response.content.decode()
