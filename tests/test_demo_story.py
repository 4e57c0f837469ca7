"""The demo tells 2018's story in the story's own time: interest registered in autumn 2017, plans
written and approved in spring 2018, cases in the autumn term of 2018, and nothing of it dated
the day the demo was loaded. Only the present-day round (for trying registration and delivery
in the browser) and what the system itself did while loading carry today's date."""

import datetime
from collections import deque
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import TestCase
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import Case, CaseEvent, PracticalTest, Stage
from demo.programme.caseload import TERM_ENDS, TERM_STARTS
from demo.programme.workshop_rounds import FOLLOW_UP
from pilots.models import InterestRegistration, PlanVersion, RegistrationStatus
from tests.once import for_the_module, own_copy_of_files
from workshops.models import Programme

pytestmark = pytest.mark.django_db

# Rows the system writes about its own doing while the demo loads, not the story's: the
# dashboards' summaries are built then, and the announcement's e-mail is really sent then.
LOADING_RECORDS = {"dashboards.SiteSummary", "exchange.AnnouncementDelivery"}


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the module (tests/once.py), with the work queued on commit done."""
    with for_the_module(django_db_blocker, tmp_path_factory) as media:
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=StringIO())
        yield media


@pytest.fixture
def demo(demo_once, db, settings, tmp_path):
    own_copy_of_files(demo_once, tmp_path, settings)


def _path_to(model, target, depth=4):
    """The lookup from `model` to `target` along forward foreign keys ("" for the target
    itself), or None when there is none within `depth` steps."""
    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if current is target:
            return path
        if path.count("__") + 1 > depth:
            continue
        for field in current._meta.concrete_fields:
            related = field.related_model if field.is_relation and field.many_to_one else None
            if related is not None and related not in seen:
                seen.add(related)
                queue.append((related, f"{path}__{field.name}" if path else field.name))
    return None


def _story_rows(model):
    """The model's rows, less those of the present-day round."""
    rows = model._base_manager.all()
    path = _path_to(model, Programme)
    if path is not None:
        rows = rows.exclude(**{f"{path}__name" if path else "name": FOLLOW_UP})
    return rows


def _day(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def test_no_row_of_the_2018_story_is_dated_the_day_the_demo_was_loaded(demo):
    today = timezone.localdate()
    dated_today, walked = [], set()
    with scopes_disabled():
        for model in apps.get_models():
            fields = [
                f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateField)
            ]
            if not fields or model._meta.label in LOADING_RECORDS:
                continue
            for row in _story_rows(model).values("pk", *fields):
                walked.add(model._meta.label)
                dated_today += [
                    f"{model._meta.label}.{name} (pk {row['pk']})"
                    for name in fields
                    if _day(row[name]) == today
                ]
    assert not dated_today, dated_today[:20]
    # The walk did reach the story's rows, those whose dates Django fills in itself included.
    assert {
        "pilots.InterestRegistration",
        "pilots.PlanVersion",
        "pilots.PilotSite",
        "pilots.User",
        "cases.Case",
        "cases.CaseEvent",
        "cases.CaseChange",
        "cases.PracticalTest",
        "cases.FidelityCheck",
        "cases.VignetteResponse",
        "workshops.Registration",
        "exchange.Post",
        "exchange.Follow",
    } <= walked


def test_the_present_day_round_is_still_there_around_today(demo):
    round_ = Programme.objects.get(name=FOLLOW_UP)
    now = timezone.now()
    assert round_.workshops.filter(starts_at__lt=now).exists()
    assert round_.workshops.filter(starts_at__gt=now).exists()


def test_interest_was_registered_in_autumn_2017_and_the_ten_accepted_that_year(demo):
    registrations = InterestRegistration.objects.all()
    assert registrations.count() == 12
    for registration in registrations:
        registered = _day(registration.created_at)
        assert datetime.date(2017, 10, 1) <= registered <= datetime.date(2017, 11, 30)
        for note in registration.notes.all():
            assert registered <= _day(note.created_at) <= datetime.date(2017, 12, 31)
    accepted = registrations.filter(status=RegistrationStatus.ACCEPTED)
    assert accepted.count() == 10
    assert all(r.site is not None and _day(r.decided_at).year == 2017 for r in accepted)


def test_plans_were_written_and_approved_in_spring_2018(demo):
    spring = (datetime.date(2018, 3, 1), datetime.date(2018, 5, 31))
    versions = PlanVersion.objects.all()
    assert versions.filter(approved_on__isnull=False).count() == 5
    for version in versions:
        saved = _day(version.created_at)
        assert spring[0] <= saved <= spring[1]
        if version.approved_on:
            assert saved <= version.approved_on <= spring[1]
            assert version.approval_meeting.held_on == version.approved_on


def test_cases_and_their_timelines_lie_in_the_autumn_term_of_2018(demo):
    with scopes_disabled():
        cases = list(Case.objects.all())
        assert len(cases) > 300
        for case in cases:
            assert TERM_STARTS <= case.first_contact_on <= TERM_ENDS
            assert _day(case.created_at) == case.first_contact_on
            assert case.first_contact_on <= _day(case.updated_at) <= TERM_ENDS
            assert case.closed_on is None or case.closed_on <= TERM_ENDS
        for event in CaseEvent.objects.all():
            assert TERM_STARTS <= event.occurred_on <= TERM_ENDS
            assert _day(event.created_at) == event.occurred_on
        for test in PracticalTest.objects.exclude(stage=Stage.PLAN):
            assert datetime.date(2018, 9, 3) <= test.starts_on <= TERM_ENDS
            assert _day(test.created_at) < test.starts_on
