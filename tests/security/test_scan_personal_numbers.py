"""`manage.py scan_personal_numbers` finds numbers already stored in any text column (file
names and JSON included), prints where with the number masked, and with --mask masks them in
place, except in the append-only audit records, where it reports counts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import AccessAction, CaseAccess
from exchange.models import LibraryItem
from infra.models import AuditEvent, AuditKind
from pilots.models import Decision, DocumentKind, PlanDocument, PlanVersion, School
from tests.cases.factories import CaseFactory
from tests.exchange.factories import LibraryItemFactory
from tests.pilots.factories import SteeringMeetingFactory

NUMBER = "640823-3234"
PASTED = "６４０８２３－３２３４"  # full-width, as pasted from some documents


def scan(*args):
    out = StringIO()
    call_command("scan_personal_numbers", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stored(site_a, lead_a, member_a):
    """Numbers stored before the guard covered these fields, written past the validators."""
    with scopes_disabled():  # also for the test that runs with no scope open
        school = School.objects.get(site=site_a)
        School.objects.filter(pk=school.pk).update(name=f"Skola {NUMBER}")
        meeting = SteeringMeetingFactory(site=site_a)
        decision = Decision.objects.create(meeting=meeting, text=f"Beslut om\n{PASTED}.")
        document = PlanDocument.objects.create(site=site_a, kind=DocumentKind.PROJECT_PLAN)
        version = document.add_version(sections={"aim": f"Eleven {NUMBER} ska"}, author=lead_a)
        item = LibraryItemFactory(site=site_a)
        LibraryItem.objects.filter(pk=item.pk).update(original_name=f"{NUMBER} journal.pdf")
        case = CaseFactory(site=site_a)
        access = CaseAccess.objects.create(
            site=site_a,
            case=case,
            case_code=case.code,
            user=member_a,
            user_email=member_a.email,
            action=AccessAction.LISTED,
            at=timezone.now(),
            path=f"/sites/site-a/cases/?q={NUMBER}",  # as written before issue 13
        )
        event = AuditEvent.objects.create(kind=AuditKind.REFUSED, path=f"/x/?q={NUMBER}")
    return {
        "school": school,
        "decision": decision,
        "version": version,
        "item": item,
        "access": access,
        "event": event,
    }


def test_the_scan_prints_where_each_number_is_masked(stored):
    out = scan()
    assert NUMBER not in out and "3234" not in out
    for line in (
        f"pilots.School pk={stored['school'].pk} name: 640823-****",
        f"pilots.Decision pk={stored['decision'].pk} text: ６４０８２３－****",
        f"pilots.PlanVersion pk={stored['version'].pk} sections: 640823-****",
        f"exchange.LibraryItem pk={stored['item'].pk} original_name: 640823-****",
        f"cases.CaseAccess pk={stored['access'].pk} path: 640823-****",
        f"infra.AuditEvent pk={stored['event'].pk} path: 640823-****",
    ):
        assert line in out, out
    assert "6 value(s) with a number found." in out
    # Nothing changed without --mask.
    assert NUMBER in School.objects.get(pk=stored["school"].pk).name


def test_mask_masks_in_place_except_in_the_append_only_records(stored):
    out = scan("--mask")
    assert "4 value(s) masked." in out
    assert "cases.CaseAccess: 1 row(s) hold a number; append-only, left as they are." in out
    assert "infra.AuditEvent: 1 row(s) hold a number; append-only, left as they are." in out

    assert School.objects.get(pk=stored["school"].pk).name == "Skola 640823-****"
    assert Decision.objects.get(pk=stored["decision"].pk).text == "Beslut om\n６４０８２３－****."
    assert PlanVersion.objects.get(pk=stored["version"].pk).sections == {
        "aim": "Eleven 640823-**** ska"
    }
    item = LibraryItem.objects.get(pk=stored["item"].pk)
    assert item.original_name == "640823-**** journal.pdf"
    assert item.file  # the stored file itself is untouched
    assert NUMBER in CaseAccess.objects.get(pk=stored["access"].pk).path
    assert NUMBER in AuditEvent.objects.get(pk=stored["event"].pk).path

    again = scan()
    assert "2 value(s) with a number found." in again  # the two append-only rows


def test_a_clean_database_scans_clean(site_a, lead_a):
    CaseFactory(site=site_a)
    assert scan() == "No personal identity or coordination numbers found.\n"


@pytest.mark.site_scope
def test_the_scan_runs_with_no_site_scope_open(stored):
    """As a management command does: django-scopes would refuse a query outside a scope."""
    assert "6 value(s) with a number found." in scan()
