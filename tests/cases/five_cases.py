"""The world of issue 13's finding 6: a practical test of five cases at a named school, one of
them about self-harm, with a SIP, referred to BUP. Shared by the tests of what each person
sees of it (tests/cases/test_small_numbers.py, tests/dashboards/test_small_numbers.py)."""

import datetime
import html
import re

from cases.models import Closure, Concern, RaisedBy, ReferralTo
from tests.cases.factories import CaseFactory, PracticalTestFactory
from tests.pilots.factories import SchoolFactory

MONDAY = datetime.date(2018, 9, 10)


def five_case_test(site):
    """The test and its five cases, the site's only cases: one a week for five weeks."""
    school = SchoolFactory(site=site, name="Ekbackens skola")
    test = PracticalTestFactory(site=site, title="Samtal inom en vecka", planned_cases=5)
    test.schools.set([school])
    rows = [
        # concerns, closure, referred to, SIP, raised by, days to the first intervention
        (
            [Concern.SELF_HARM, Concern.WORRY],
            Closure.REFERRED,
            ReferralTo.CAMHS,
            True,
            RaisedBy.GUARDIAN,
            3,
        ),
        ([Concern.WORRY], Closure.RESOLVED, "", False, RaisedBy.CHILD, 2),
        ([Concern.WORRY], Closure.RESOLVED, "", False, RaisedBy.SCHOOL_STAFF, 4),
        ([Concern.WORRY, Concern.SLEEP], "", "", False, RaisedBy.SCHOOL_STAFF, 6),
        ([Concern.WORRY], "", "", False, RaisedBy.GUARDIAN, None),
    ]
    for week, (concerns, closure, referred_to, sip, raised_by, days) in enumerate(rows):
        first = MONDAY + datetime.timedelta(weeks=week)
        CaseFactory(
            site=site,
            school=school,
            practical_test=test,
            concerns=concerns,
            raised_by=raised_by,
            sip_started=sip,
            first_contact_on=first,
            first_intervention_on=first + datetime.timedelta(days=days) if days else None,
            closed_on=first + datetime.timedelta(days=20) if closure else None,
            closure=closure,
            referred_to=referred_to,
        )
    return test


def text(page: str) -> str:
    """What a reader sees of an HTML page: its text, tags gone, spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
