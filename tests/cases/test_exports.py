"""The case exports read in chunks (cases/exports.py): what they hold across chunk boundaries,
the access record of every exported case (written in chunks before anything is sent), and the
XLSX as a file openpyxl opens. Chunks are made small here; `make bench` times a big city's."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from cases import audit
from cases.casedata import CaseDataMiddleware, Reading, _reading
from cases.models import AccessAction, Case, CaseAccess, CaseConsent, CaseEvent, ConsentStatus
from pilots.models import Actor
from tests.cases.factories import (
    CaseConsentFactory,
    CaseEventFactory,
    CaseFactory,
    PracticalTestFactory,
)

pytestmark = pytest.mark.django_db

CHUNK = 3  # cases per chunk in these tests: seven cases make three chunks
ACTORS = Actor.values


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(audit, "CHUNK", CHUNK)


@pytest.fixture
def seven_cases(site_a):
    """Seven cases over two years, with timelines and consents that differ from case to case."""
    test = PracticalTestFactory(site=site_a)
    cases = []
    for i in range(7):
        start = datetime.date(2018 + i % 2, 9, 1 + i)
        case = CaseFactory(
            site=site_a,
            practical_test=test if i % 3 == 0 else None,
            first_contact_on=start,
            first_intervention_on=start + datetime.timedelta(days=i) if i % 2 else None,
        )
        for j in range(i):
            CaseEventFactory(
                case=case, actor=ACTORS[j % 3], minutes=15 * (j + 1) if j != 2 else None
            )
        if i % 2:
            CaseConsentFactory(case=case, actor=Actor.SOCIAL, status=ConsentStatus.DECLINED)
        cases.append(case)
    return cases


def expected_rows():
    """Each case's code and timeline summed up, from the database, in the list's order."""
    rows = []
    for case in Case.objects.order_by("-year", "-number"):
        events = list(CaseEvent.objects.filter(case=case))
        consents = {c.actor: c.get_status_display() for c in CaseConsent.objects.filter(case=case)}
        rows.append(
            [
                case.code,
                str(len(events)),
                str(sum(e.minutes or 0 for e in events)),
                *(str(sum(1 for e in events if e.actor == a)) for a in ACTORS),
                *(str(sum(e.minutes or 0 for e in events if e.actor == a)) for a in ACTORS),
                *(consents.get(a, "") for a in ACTORS),
            ]
        )
    return rows


def as_csv(value):
    """An XLSX cell as the CSV writes it: dates in ISO form (openpyxl reads dates as datetimes)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value)


def summed_up(header, rows):
    """The same columns of the export's rows, found by their headers."""
    columns = [0, header.index("Händelser i tidslinjen"), header.index("Loggade minuter")]
    columns += [i for i, h in enumerate(header) if h.startswith("Händelser: ")]
    columns += [i for i, h in enumerate(header) if h.startswith("Minuter: ")]
    columns += [i for i, h in enumerate(header) if h.startswith("Samtycke: ")]
    return [["" if row[i] is None else str(row[i]) for i in columns] for row in rows]


def read_csv(content):
    """The CSV as a Swedish Excel reads it: UTF-8 with a byte-order mark, semicolons."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_the_csv_holds_every_case_across_chunks(
    small_chunks, seven_cases, confirmed_client_for, member_a, urls
):
    client = confirmed_client_for(member_a)
    with CaptureQueriesContext(connection) as queries:
        response, content = download(client, urls("case_export") + "?format=csv")
    header, *rows = read_csv(content)
    assert len(header) == len(rows[0])
    assert summed_up(header, rows) == expected_rows()
    # Read in chunks: the case table is read once for the keys, then once per chunk.
    case_reads = [q for q in queries.captured_queries if 'FROM "cases_case"' in q["sql"]]
    assert len([q for q in case_reads if q["sql"].startswith("SELECT")]) == 1 + 3


def test_the_xlsx_opens_and_holds_the_same_rows(
    small_chunks, seven_cases, confirmed_client_for, member_a, urls
):
    client = confirmed_client_for(member_a)
    response, content = download(client, urls("case_export") + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert summed_up(header, rows) == expected_rows()
    _, csv_content = download(client, urls("case_export") + "?format=csv")
    csv_rows = read_csv(csv_content)
    assert header == csv_rows[0]
    as_text = [[as_csv(v) for v in row] for row in rows]
    assert as_text == csv_rows[1:]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_every_exported_case_is_recorded_once_in_chunks_before_sending(
    export_format, small_chunks, seven_cases, confirmed_client_for, member_a, site_b, urls
):
    CaseFactory(site=site_b)  # another site's case: neither exported nor recorded
    client = confirmed_client_for(member_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(urls("case_export") + f"?format={export_format}")
    # Written while the view ran, before the first byte of the file was read.
    recorded = CaseAccess.objects.filter(action=AccessAction.EXPORTED, user=member_a)
    assert sorted(recorded.values_list("case", flat=True)) == sorted(c.pk for c in seven_cases)
    inserts = [q for q in queries.captured_queries if "INSERT INTO" in q["sql"]]
    assert len([q for q in inserts if "cases_caseaccess" in q["sql"]]) == 3  # 7 cases by 3
    assert len(set(recorded.values_list("at", flat=True))) == 1  # one moment for the record
    b"".join(response.streaming_content)
    assert recorded.count() == len(seven_cases)


def test_a_filtered_export_records_only_what_it_sends(
    small_chunks, seven_cases, confirmed_client_for, member_a, urls
):
    client = confirmed_client_for(member_a)
    _, content = download(client, urls("case_export") + "?status=open&practical_test=null")
    sent = [row[0] for row in read_csv(content)[1:]]
    expected = Case.objects.filter(practical_test=None, closed_on=None).order_by("-year", "-number")
    assert sent == [c.code for c in expected]
    recorded = CaseAccess.objects.filter(action=AccessAction.EXPORTED)
    assert sorted(recorded.values_list("case_code", flat=True)) == sorted(sent)


def test_a_marked_page_that_streams_unrecorded_cases_is_refused(rf, member_a):
    def view(request):
        return StreamingHttpResponse(iter([b"AAA-2018-001\n"]))

    request = rf.get("/")
    request.user = member_a
    middleware = CaseDataMiddleware(view)

    def marked(req):
        reading = _reading.get()
        assert isinstance(reading, Reading)
        reading.action = AccessAction.EXPORTED
        return view(req)

    middleware.get_response = marked
    with pytest.raises(ImproperlyConfigured):
        middleware(request)
