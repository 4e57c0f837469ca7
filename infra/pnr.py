"""The pseudonymity guard: finds Swedish personal identity numbers (personnummer) and
coordination numbers (samordningsnummer) in free text, so that no text field can carry one.

It lives in infra, which every app stands on, so that any app can use it without depending on
cases. Which fields carry it is decided in one place, infra/guard.py.

A number is `YYMMDD-NNNC` or `YYYYMMDDNNNC`. A coordination number adds 60 to the day. `C` is a
Luhn check digit over the nine digits `YYMMDDNNN` (the century is not part of it). Only
candidates with a real calendar date and a correct check digit count, so dates, years, phone
numbers, organisation numbers and case codes pass, unless their digits happen to form a valid
number: a ten-digit phone number written without spaces can, and is then refused.

Before matching, the text is normalised as people write and paste numbers:

- every Unicode digit (full-width, Arabic-Indic, superscript…) counts as the digit it is;
- every dash-like character (hyphen, non-breaking hyphen, en and em dash, minus sign,
  full-width hyphen…) is a hyphen, a full-width plus a plus;
- every space-like character (no-break, narrow no-break, thin, tab, line breaks, CRLF) is a
  space, and any number of spaces, with or without a hyphen, plus or dot, may stand between the
  date and the last four digits (`811218  9876`, `811218 - 9876`, `811218.9876`);
- zero-width characters, soft hyphens and other invisible format characters are dropped;
- the date may be written in groups with hyphens or dots (`81.12.18-9876`, `1981-12-18-9876`).

What is not read as a number, so that such text passes whatever its digits: a time written with
a colon or a dot (`2018-12-18 14:00`, `14.00`), a date range (`2018-12-18–2019-01-01`: the last
four digits may not go on as a date), a phone number in groups (`070-123 45 67`), a full date
that lies in the future."""

import datetime
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# On the normalised text (ASCII digits, "-" for every dash, " " for every space): six or eight
# digits of date, as one group or in groups joined by "-" or ".", then any spaces with at most
# one "-", "+" or "." among them, then the last four digits. Not part of a longer run of digits,
# and the last four not going on as a date or time ("2018-12-18–2019-01-01", "…-1400:00").
_CANDIDATE = re.compile(
    r"(?<![0-9])"
    r"(?P<date>[0-9]{8}|[0-9]{4}[-.][0-9]{2}[-.][0-9]{2}|[0-9]{6}|[0-9]{2}[-.][0-9]{2}[-.][0-9]{2})"
    r" *[-+.]? *"
    r"(?P<tail>[0-9]{4})"
    r"(?![0-9])(?![-./:][0-9])"
)
_CENTURIES = (18, 19, 20)

# Characters read as a hyphen besides Unicode's dash punctuation (category Pd): the minus signs.
_MINUS = {"\u2212", "\u02d7", "\u2043", "\u207b", "\u208b", "\u2796"}
# Characters read as a dot between the groups of a date.
_DOTS = {"\u00b7", "\u2027", "\u2219", "\u22c5", "\u2022", "\u3002", "\uff61", "\u30fb"}


@functools.lru_cache(maxsize=4096)
def _normal(char: str) -> str:
    """The character as the matcher reads it: "" for an invisible one."""
    digit = unicodedata.digit(char, None)
    if digit is not None:
        return str(digit)
    if char.isspace():
        return " "
    category = unicodedata.category(char)
    if category in ("Cf", "Cc"):  # zero-width characters, soft hyphens, controls
        return ""
    if category == "Pd" or char in _MINUS:
        return "-"
    if char in _DOTS:
        return "."
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) == 1 and folded in "+-.":
        return folded
    return char


_ASCII_SPACES = str.maketrans("\t\n\v\f\r\x1c\x1d\x1e\x1f", " " * 9)
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
# Digits that `\d` does not match but unicodedata.digit reads (superscripts, circled digits…),
# in the Basic Multilingual Plane; found once, for the quick test in `_digit_count`.
_OTHER_DIGITS = "".join(
    c
    for c in map(chr, range(0x80, 0x10000))
    if not c.isdecimal() and unicodedata.digit(c, None) is not None
)
_ANY_DIGIT = re.compile(f"[\\d{re.escape(_OTHER_DIGITS)}]")


def normalise(text: str) -> tuple[str, list[int]]:
    """The text as the matcher reads it, and for each of its characters the index in `text`
    of the character it came from (invisible characters are dropped)."""
    if text.isascii() and not _ASCII_CONTROLS.search(text):
        return text.translate(_ASCII_SPACES), range(len(text))
    chars, origin = [], []
    for index, char in enumerate(text):
        normal = _normal(char)
        if normal:
            chars.append(normal)
            origin.append(index)
    return "".join(chars), origin


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for a string of digits (weights 2, 1, 2, … from the left)."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def _real_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _date_is_valid(date_digits: str) -> bool:
    """YYMMDD or YYYYMMDD, with the day as is or plus 60 (a coordination number). With the
    century written, the date must not lie ahead: nobody is born in the future."""
    month, day = int(date_digits[-4:-2]), int(date_digits[-2:])
    if day > 60:
        day -= 60
    if len(date_digits) == 8:
        if int(date_digits[:2]) not in _CENTURIES:
            return False
        born = _real_date(int(date_digits[:4]), month, day)
        return born is not None and born <= datetime.date.today()
    yy = int(date_digits[:2])
    # Without a century, 29 February is real if it is in any century the number may come from.
    return any(_real_date(c * 100 + yy, month, day) for c in _CENTURIES)


def is_personal_number(date_digits: str, tail: str) -> bool:
    """Whether a date part (6 or 8 digits) and the four last digits form a valid number."""
    if not _date_is_valid(date_digits):
        return False
    nine = date_digits[-6:] + tail[:3]
    return luhn_check_digit(nine) == int(tail[3])


def _digit_count_at_least(text: str, n: int) -> bool:
    return next(itertools.islice(_ANY_DIGIT.finditer(text), n - 1, None), None) is not None


def personal_number_spans(text) -> list[tuple[int, int]]:
    """Where in `text` each personal identity or coordination number is: (start, end)."""
    if not text:
        return []
    text = str(text)
    if not _digit_count_at_least(text, 10):
        return []
    normal, origin = normalise(text)
    spans, at = [], 0
    # Candidates may overlap ("2018-12-18 1400 …"): after one that is not a number, look again
    # from the next character rather than after it.
    while match := _CANDIDATE.search(normal, at):
        date = match.group("date").replace("-", "").replace(".", "")
        if is_personal_number(date, match.group("tail")):
            spans.append((origin[match.start()], origin[match.end() - 1] + 1))
            at = match.end()
        else:
            at = match.start() + 1
    return spans


def find_personal_numbers(text) -> list[str]:
    """Every personal identity or coordination number in `text`, as written there."""
    return [str(text)[start:end] for start, end in personal_number_spans(text)]


def mask(number: str, hidden: str = "*") -> str:
    """A found number with its last four digits hidden, to point at it without repeating it;
    invisible characters dropped and line breaks and tabs shown as a space."""
    chars, left = [], 4
    for char in reversed(number):
        if left and unicodedata.digit(char, None) is not None:
            chars.append(hidden)
            left -= 1
        elif char.isspace():
            chars.append(" ")
        elif unicodedata.category(char) not in ("Cf", "Cc"):
            chars.append(char)
    return "".join(reversed(chars))


def mask_text(text: str, hidden: str = "*") -> str:
    """`text` with the last four digits of every number in it hidden."""
    spans = personal_number_spans(text)
    if not spans:
        return text
    parts, at = [], 0
    for start, end in spans:
        parts += [text[at:start], mask(text[start:end], hidden)]
        at = end
    return "".join([*parts, text[at:]])


def texts_in(value) -> Iterator[str]:
    """The text a field's value holds: a string, a file's name, or every key and string in a
    JSON structure."""
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(key)
            yield from texts_in(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from texts_in(item)
    elif _is_file(value):  # an uploaded or stored file
        yield from texts_in(value.name)
    else:
        yield str(value)


def mask_value(value, hidden: str = "*"):
    """`value` (text or a JSON structure) with every number in it masked."""
    if isinstance(value, str):
        return mask_text(value, hidden)
    if isinstance(value, dict):
        return {mask_value(k, hidden): mask_value(v, hidden) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(item, hidden) for item in value]
    return value


GUARD_MESSAGE = _(
    "Remove the personal identity number or coordination number (%(found)s). "
    "Triad is kept pseudonymous: write no names, numbers or other details that identify "
    "a child or a guardian."
)
# Said with every refusal, since a date with a time or a phone number can happen to have the
# digits of a valid number (tests/infra/test_pnr.py, ACCEPTED_FALSE_POSITIVES).
LOOK_ALIKE_HINT = _(
    "If it is a date with a time or a phone number, write the time with a colon (14:00) and "
    "the phone number in groups (070-123 45 67)."
)


FILE_NAME_MESSAGE = _(
    "The file's name contains a personal identity number or coordination number (%(found)s). "
    "Rename the file without it and upload it again."
)


def _is_file(value) -> bool:
    return hasattr(value, "name") and hasattr(value, "read")


def validate_file_name(name: str) -> None:
    """Refuses an uploaded file's name that contains a number."""
    found = find_personal_numbers(name or "")
    if found:
        raise ValidationError(
            FILE_NAME_MESSAGE,
            code=PersonalNumberValidator.code,
            params={"found": ", ".join(mask(n) for n in found)},
        )


@deconstructible
class PersonalNumberValidator:
    """Refuses text that contains a personal identity number or coordination number: in a
    string, a file's name or any string of a JSON value."""

    message = format_lazy("{} {}", GUARD_MESSAGE, LOOK_ALIKE_HINT)
    code = "personal_number"

    def __call__(self, value):
        if _is_file(value):
            validate_file_name(value.name)
            return
        found = [n for text in texts_in(value) for n in find_personal_numbers(text)]
        if found:
            raise ValidationError(
                self.message, code=self.code, params={"found": ", ".join(mask(n) for n in found)}
            )

    def __eq__(self, other):
        return isinstance(other, PersonalNumberValidator)

    def __hash__(self):
        return hash(PersonalNumberValidator)


validate_no_personal_number = PersonalNumberValidator()
