"""Every spreadsheet Triad hands out (CSV or XLSX) is written here, so what makes one open
properly — and safely — cannot be forgotten by a new export.

- A CSV opens by double-click in a Swedish Excel: UTF-8 with a byte-order mark, semicolons
  between cells, a decimal comma, ISO dates (2026-12-03, 2026-12-03 14:05), CRLF. It streams:
  rows are sent as they are made, so a 50,000-case export takes no more memory than a small one.
- An XLSX holds real numbers and dates (with an ISO number format), a bold frozen header, an
  autofilter over every row and column widths fitted to the header and the first rows. It is
  written by openpyxl's write-only mode to a temporary file, sent through
  infra.uploads.serve_file and removed once sent.
- No cell is read as a formula (OWASP's CSV-injection advice, which ASVS 1.2.10 extends to
  XLSX): a text that starts with = + - @, a tab, CR, LF or NUL — or with = + - @ after leading
  spaces — gets a leading apostrophe, and in a CSV every cell is quoted with any quote in it
  doubled. Numbers are written as numbers, so a negative number stays a number.
- A figure that is not shown (a hidden small number, cases/disclosure.py) is a `Withheld`: its
  number cell stays empty and what the reader is shown instead ("1–4", "dolt") is written in
  the row's note column, "Heading: 1–4", so a numeric column holds nothing but numbers.

An export gives a list of `Column`s and an iterable of row chunks (lists of rows); a cell is a
str, int, float, Decimal, date, datetime, None or Withheld (not a bool: yes and no are
words, looked up in the reader's language while the view runs, as every heading is)."""

import csv
import datetime
import decimal
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.files import File
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .uploads import serve_file

XLSX = "xlsx"
CSV = "csv"
CSV_TYPE = "text/csv; charset=utf-8"

# OWASP: a cell starting with one of these is read as a formula (or, for tab, CR, LF and
# NUL, may be taken for one once the spreadsheet strips them).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
# After leading spaces, these still start a formula in some spreadsheets.
FORMULA_AFTER_SPACE = ("=", "+", "-", "@")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Column:
    """A column of an export: its heading, in the reader's language."""

    heading: str
    width: int | None = None  # in characters; fitted to the header and first rows if None


@dataclass(frozen=True)
class Withheld:
    """A number the reader may not see: the cell stays empty; `shown` goes to the note column."""

    shown: str


def format_of(request) -> str:
    """The format a download asks for: XLSX if it says so, else CSV."""
    return XLSX if request.GET.get("format") == XLSX else CSV


def safe_text(value: str) -> str:
    """The text as a cell no spreadsheet reads as a formula."""
    if value.startswith(FORMULA_START) or value.lstrip(" ").startswith(FORMULA_AFTER_SPACE):
        return "'" + value
    return value


def _plain(value):
    """A cell's value with aware datetimes in local time (openpyxl takes no time zone)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def csv_cell(value) -> str:
    value = _plain(value)
    if value is None or isinstance(value, Withheld):
        return ""
    if isinstance(value, bool):
        raise TypeError("Write yes or no in the reader's words, looked up in the view.")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.15g}".replace(".", ",")
    if isinstance(value, decimal.Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_text(str(value))


def _notes(columns, row) -> str:
    return "; ".join(
        f"{column.heading}: {value.shown}"
        for column, value in zip(columns, row, strict=False)
        if isinstance(value, Withheld)
    )


def _headings(columns, notes):
    return [c.heading for c in columns] + ([_("Hidden figures")] if notes else [])


class _Line:
    """csv.writer writes into this and gets the line back, to be sent at once."""

    def write(self, value):
        return value


def _csv_lines(columns, headings, chunks, notes) -> Iterator[bytes]:
    writer = csv.writer(_Line(), delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    yield writer.writerow([csv_cell(h) for h in headings]).encode("utf-8-sig")
    for rows in chunks:
        lines = []
        for row in rows:
            cells = [csv_cell(v) for v in row]
            if notes:
                cells.append(safe_text(_notes(columns, row)))
            lines.append(writer.writerow(cells))
        yield "".join(lines).encode("utf-8")


def csv_response(
    columns: list[Column], chunks: Iterable[list], filename: str, notes=False, stream=True
):
    """A CSV for a Swedish Excel. Streamed, `chunks` may be a generator: it is read as it is
    sent, after the view has returned (so look up the words in the view). Not streamed, it is
    written while the view runs (a page that shows case data streams only what it recorded
    before sending: cases/casedata.py)."""
    lines = _csv_lines(columns, _headings(columns, notes), chunks, notes)
    if stream:
        response = StreamingHttpResponse(lines, content_type=CSV_TYPE)
    else:
        response = HttpResponse(b"".join(lines), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_value(value):
    value = _plain(value)
    if value is None or isinstance(value, Withheld) or value == "":
        return None
    if isinstance(value, bool):
        raise TypeError("Write yes or no in the reader's words, looked up in the view.")
    if isinstance(value, str):
        return safe_text(value)
    return value


def _width(value) -> int:
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return len(str(value)) if value is not None else 0


def xlsx_response(
    columns: list[Column],
    chunks: Iterable[list],
    filename: str,
    title: str,
    notes=False,
    stream=True,
):
    """An XLSX with real numbers and dates, a frozen header and an autofilter, sent from a
    temporary file (or, not streamed, read from it while the view runs)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    chunks = iter(chunks)
    first = next(chunks, [])
    headings = _headings(columns, notes)
    book = Workbook(write_only=True)
    # A sheet's title may not hold []:*?/\ and is at most 31 characters.
    sheet = book.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31])
    sheet.freeze_panes = "A2"
    for i, heading in enumerate(headings):
        declared = columns[i].width if i < len(columns) else None
        seen = [_width(row[i]) for row in first[:200] if i < len(row)]
        if notes and i == len(columns):
            seen = [len(_notes(columns, row)) for row in first[:200]]
        width = declared or max([len(heading) + 2, *(w + 2 for w in seen)])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, width)
        )
    bold = Font(bold=True)

    def cell(value, bold_font=None):
        value = _xlsx_value(value)
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text
        elif isinstance(value, datetime.datetime):
            c.number_format = DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            c.number_format = DATE_FORMAT
        if bold_font:
            c.font = bold_font
        return c

    sheet.append([cell(h, bold) for h in headings])
    count = 1
    for rows in _chain(first, chunks):
        for row in rows:
            cells = [cell(v) for v in row]
            if notes:
                cells.append(cell(_notes(columns, row)))
            sheet.append(cells)
            count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{count}"
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it, which removes it
    book.save(file)
    file.seek(0)
    # Sent as every file leaves Triad: an attachment, with the sandbox and nosniff headers.
    response = serve_file(File(file), filename)
    if stream:
        return response
    try:
        content = b"".join(response)
    finally:
        # The temporary file closed (and so removed) here, not by response.close(): that would
        # announce the end of the request and close the database connection mid-view.
        file.close()
    return HttpResponse(content, headers=dict(response.items()))


def _chain(first, rest):
    yield first
    yield from rest


def response(
    export_format: str,
    columns: list[Column],
    chunks: Iterable[list],
    filename: str,
    title: str,
    notes=False,
    stream=True,
):
    """The export as the format asked for; `filename` has no extension."""
    if export_format == XLSX:
        return xlsx_response(columns, chunks, f"{filename}.xlsx", title, notes=notes, stream=stream)
    return csv_response(columns, chunks, f"{filename}.csv", notes=notes, stream=stream)
