"""The pseudonymity guard: finds Swedish personal identity numbers (personnummer) and
coordination numbers (samordningsnummer) in free text, so that no text field can carry one.

It lives in pilots, the base app, so that any app (cases today, the exchange later) can use it
without depending on cases.

A number is `YYMMDD-NNNC` or `YYYYMMDDNNNC`. The separator is `-`, `+` (age 100 or more) or
none; a single space is caught too, because people type one. A coordination number adds 60 to
the day. `C` is a Luhn check digit over the nine digits `YYMMDDNNN` (the century is not part of
it). Only candidates with a real calendar date and a correct check digit count, so dates, years,
phone numbers and case codes pass — a ten-digit phone number that happens to be a valid number
is indistinguishable from one and is refused."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# 6 or 8 digits of date, an optional separator, 4 digits; not part of a longer digit run.
_CANDIDATE = re.compile(r"(?<!\d)(?P<date>\d{8}|\d{6})(?P<sep>[-+ ]?)(?P<tail>\d{4})(?!\d)")
_CENTURIES = (18, 19, 20)


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for a string of digits (weights 2, 1, 2, … from the left)."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def _is_real_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _date_is_valid(date_digits: str) -> bool:
    """YYMMDD or YYYYMMDD, with the day as is or plus 60 (a coordination number)."""
    month, day = int(date_digits[-4:-2]), int(date_digits[-2:])
    if day > 60:
        day -= 60
    if len(date_digits) == 8:
        century = int(date_digits[:2])
        return century in _CENTURIES and _is_real_date(int(date_digits[:4]), month, day)
    yy = int(date_digits[:2])
    # Without a century, 29 February is real if it is in any century the number may come from.
    return any(_is_real_date(c * 100 + yy, month, day) for c in _CENTURIES)


def is_personal_number(date_digits: str, tail: str) -> bool:
    """Whether a date part (6 or 8 digits) and the four last digits form a valid number."""
    if not _date_is_valid(date_digits):
        return False
    nine = date_digits[-6:] + tail[:3]
    return luhn_check_digit(nine) == int(tail[3])


def find_personal_numbers(text: str) -> list[str]:
    """Every personal identity or coordination number in `text`, as written there."""
    if not text:
        return []
    return [
        m.group(0)
        for m in _CANDIDATE.finditer(str(text))
        if is_personal_number(m.group("date"), m.group("tail"))
    ]


def mask(number: str) -> str:
    """A found number with its last four digits hidden, to point at it without repeating it."""
    return number[:-4] + "****"


@deconstructible
class PersonalNumberValidator:
    """Refuses text that contains a personal identity number or coordination number."""

    message = _(
        "Remove the personal identity number or coordination number (%(found)s). "
        "Triad is kept pseudonymous: write no names, numbers or other details that identify "
        "a child or a guardian."
    )
    code = "personal_number"

    def __call__(self, value):
        found = find_personal_numbers(value)
        if found:
            raise ValidationError(
                self.message, code=self.code, params={"found": ", ".join(mask(n) for n in found)}
            )

    def __eq__(self, other):
        return isinstance(other, PersonalNumberValidator)


validate_no_personal_number = PersonalNumberValidator()
