"""The pseudonymity guard (infra.pnr): every valid personal identity or coordination number
is found, in every form people write and paste it, wherever it sits in a text; look-alikes
(dates, date ranges, times, phone numbers, organisation numbers, case codes) pass unless their
digits happen to form a valid number, and the accepted false positives are listed here.

Where the guard is attached (every text field of every model and form) is tested in
tests/security/test_pnr_guard.py."""

import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.pnr import (
    find_personal_numbers,
    luhn_check_digit,
    mask,
    mask_text,
    mask_value,
    validate_file_name,
    validate_no_personal_number,
)

TODAY = datetime.date.today()

# --- How people write and paste a number ---------------------------------------------------------

DASHES = [
    "-",
    "\u2010",  # hyphen
    "\u2011",  # non-breaking hyphen
    "\u2012",  # figure dash
    "\u2013",  # en dash
    "\u2014",  # em dash
    "\u2015",  # horizontal bar
    "\u2212",  # minus sign
    "\ufe63",  # small hyphen-minus
    "\uff0d",  # full-width hyphen-minus
]
SPACES = [
    " ",
    "  ",  # two spaces
    "\u00a0",  # no-break space
    "\u202f",  # narrow no-break space
    "\u2009",  # thin space
    "\u2007",  # figure space
    "\u3000",  # ideographic space
    "\t",
    "\n",
    "\r\n",
    "\r",
]
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u00ad",  # soft hyphen
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space
    "\u200e",  # left-to-right mark
]
DIGITS = [
    "0123456789",
    "０１２３４５６７８９",  # full-width
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "०१२३४५६७८९",  # Devanagari
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
]
# Between the date and the last four digits.
SEPARATORS = st.one_of(
    st.just(""),
    st.sampled_from(DASHES),
    st.just("+"),
    st.just("\uff0b"),  # full-width plus
    st.just("."),
    st.sampled_from(SPACES),
    st.sampled_from(INVISIBLE),
    st.builds(
        lambda a, d, b: a + d + b,
        st.sampled_from(SPACES),
        st.sampled_from(DASHES),
        st.sampled_from(SPACES),
    ),
)
# Between the groups of the date (81.12.18, 1981-12-18).
DATE_GROUPS = st.one_of(st.just("."), st.sampled_from(DASHES))


@st.composite
def valid_numbers(draw, coordination=None):
    """(birth date, the nine digits YYMMDDNNN and the check digit) of a valid number."""
    birth = draw(st.dates(min_value=datetime.date(1890, 1, 1), max_value=TODAY))
    is_coordination = draw(st.booleans()) if coordination is None else coordination
    day = birth.day + (60 if is_coordination else 0)
    serial = draw(st.integers(min_value=0, max_value=999))
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    return birth, nine, luhn_check_digit(nine)


@st.composite
def written_numbers(draw, coordination=None):
    """A valid number as someone may write or paste it: short or with the century, the date
    in one group or three, any separator, any Unicode digits, invisible characters between."""
    birth, nine, check = draw(valid_numbers(coordination))
    date = nine[:6]
    if draw(st.booleans()):  # with the century
        date = f"{birth.year // 100}{date}"
    if draw(st.booleans()):  # in groups: 81.12.18, 1981-12-18
        group = draw(DATE_GROUPS)
        date = group.join([date[:-4], date[-4:-2], date[-2:]])
    separator = draw(SEPARATORS)
    text = f"{date}{separator}{nine[6:]}{check}"
    digits = draw(st.sampled_from(DIGITS))
    text = "".join(digits[int(c)] if c.isascii() and c.isdigit() else c for c in text)
    # Zero-width characters and soft hyphens anywhere inside.
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(1, len(text) - 1))
        text = text[:at] + draw(st.sampled_from(INVISIBLE)) + text[at:]
    return text


# Text around a number: anything that holds no digit of any script.
surrounding = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)).filter(
        lambda c: unicodedata.digit(c, None) is None
    ),
    max_size=40,
)


@settings(max_examples=500)
@given(number=written_numbers())
def test_every_valid_number_is_found_however_it_is_written(number):
    assert find_personal_numbers(number) == [number]


@settings(max_examples=200)
@given(number=written_numbers(coordination=True))
def test_coordination_numbers_with_day_plus_60_are_found(number):
    assert find_personal_numbers(number) == [number]


@settings(max_examples=300)
@given(before=surrounding, number=written_numbers(), after=surrounding)
def test_a_number_anywhere_in_a_text_is_found(before, number, after):
    assert find_personal_numbers(f"{before}{number}{after}") == [number]


@settings(max_examples=200)
@given(number=written_numbers())
def test_masking_leaves_no_number(number):
    text = f"Anteckning: {number}."
    masked = mask_text(text)
    assert find_personal_numbers(masked) == []
    assert masked.startswith("Anteckning: ") and masked.endswith("****.")


@settings(max_examples=200)
@given(valid=valid_numbers(), wrong=st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_passes(valid, wrong):
    _birth, nine, check = valid
    assert find_personal_numbers(f"{nine[:6]}-{nine[6:]}{(check + wrong) % 10}") == []


@settings(max_examples=100)
@given(number=written_numbers())
def test_the_validator_refuses_every_valid_number(number):
    with pytest.raises(ValidationError) as error:
        validate_no_personal_number(f"Eleven har nummer {number}.")
    assert error.value.code == "personal_number"
    assert number not in str(error.value.messages)


@pytest.mark.parametrize(
    "number",
    [
        "640823-3234",  # Skatteverket's example
        "6408233234",
        "196408233234",
        "19640823-3234",
        "640823+3234",
        "640883-3231",  # coordination number: day 23 + 60
        "640823 3234",  # a space, as people type it
        "640823–3234",  # en dash
        "640823—3234",  # em dash
        "640823−3234",  # minus sign
        "640823\u20113234",  # non-breaking hyphen
        "640823\u00a03234",  # no-break space
        "640823\u202f3234",  # narrow no-break space
        "640823\u20093234",  # thin space
        "640823\t3234",
        "640823  3234",
        "640823 - 3234",
        "640823\n3234",
        "640823\r\n3234",
        "640823\u200b3234",  # zero-width space
        "640823\u00ad3234",  # soft hyphen
        "64.08.23-3234",
        "640823.3234",
        "1964-08-23-3234",
        "1964.08.23-3234",
        "６４０８２３－３２３４",  # full-width digits and hyphen
        "１９６４０８２３３２３４",
    ],
)
def test_known_numbers_are_found(number):
    assert find_personal_numbers(f"Se {number} i journalen") == [number]


# --- What must pass ------------------------------------------------------------------------------

LOOK_ALIKES = [
    "Första kontakt 2018-09-03, uppföljning 2018-10-15.",
    "Workshop 20180903 i Stockholm.",
    "Läsåret 2018/2019, vecka 38.",
    "Ring elevhälsan på 070-123 45 67 eller 08-123 456 78.",
    "Telefon +46 70 123 45 67.",
    "Mobil 0701234567.",  # ten digits, but not a valid check digit
    "Ärendet MAL-2018-007 följer på MAL-2018-006.",
    "Organisationsnummer 212000-1355 (kommunen).",
    "Organisationsnummer 16212000-1355.",
    "Ett felskrivet nummer: 640823-3235.",  # invalid Luhn
    "Datumet 641323-3234 finns inte.",  # month 13
    "Datumet 640832-3234 finns inte.",  # day 32
    "Mellan 1 200 och 1 500 elever.",
    "Klockan 08.30–09.15, sal 2014.",
    "Tre pass à 60 minuter, 25 elever per klass.",
    "Postnummer 903 25 och 753 20.",
    "Version 1.2.3, 99,5 %.",
    "Möte 2018-12-18 14:00.",  # a time with a colon: 181218-1400 would be valid
    "Möte 2018-12-18 14.00.",  # or with a dot
    "Möte 2018-12-18 kl. 1400.",
    "Perioden 2018-12-18–2019-01-01.",  # a date range: 20181218-2019 would be valid
    "Perioden 2018-12-18 – 2019-01-01.",
    "Perioden 20181218–20190101.",
    "Planerad 2099-12-18 1400.",  # a full date ahead: nobody is born in the future
    "IP 10.12.18.9876 finns inte.",  # 101218-9876 has a wrong check digit anyway
    "123456789",
    "12345678901234",
    "",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_pass(text):
    assert find_personal_numbers(text) == []
    validate_no_personal_number(text)


# False positives accepted: the digits form a valid number, and nothing tells them apart from
# one. (text, what it is, how to write it so that it passes — the message says so.)
ACCEPTED_FALSE_POSITIVES = [
    ("Möte 2018-12-18 1400.", "a date and a time without a colon", "Möte 2018-12-18 14:00."),
    ("Möte 20181218 1400.", "the same, the date in one group", "Möte 20181218 14.00."),
    ("Möte 181218-1400.", "a short date and a time", "Möte 181218 kl. 14:00."),
    ("Från 2018-12-18 – 1400.", "a date and a time, a dash between", "Från 2018-12-18 14:00."),
    ("Mobil 0701234569.", "a mobile number in one group", "Mobil 070-123 45 69."),
]


@pytest.mark.parametrize(
    "text, what, instead", ACCEPTED_FALSE_POSITIVES, ids=[f[1] for f in ACCEPTED_FALSE_POSITIVES]
)
def test_accepted_false_positives_are_refused_and_the_rewritten_form_passes(text, what, instead):
    assert find_personal_numbers(text), what
    assert find_personal_numbers(instead) == []


def _is_valid(yymmdd: str, nnnc: str, century: int | None = None) -> bool:
    """An oracle written apart from infra.pnr: the digits' date is real (day or day + 60),
    not ahead if the century is given, and the Luhn digit over YYMMDDNNN matches."""
    day = int(yymmdd[4:6])
    day = day - 60 if day > 60 else day
    centuries = [century] if century is not None else [18, 19, 20]
    real = False
    for c in centuries:
        try:
            born = datetime.date(c * 100 + int(yymmdd[:2]), int(yymmdd[2:4]), day)
        except ValueError:
            continue
        real = real or century is None or born <= TODAY
    if not real:
        return False
    digits = [int(d) for d in yymmdd + nnnc[:3]]
    total = sum(
        (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d for i, d in enumerate(digits)
    )
    return (10 - total % 10) % 10 == int(nnnc[3])


DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@settings(max_examples=300)
@given(start=DATES, end=DATES, between=st.sampled_from(["–", "-", " – ", " - ", "—", " till "]))
def test_date_ranges_pass(start, end, between):
    for text in (
        f"{start:%Y-%m-%d}{between}{end:%Y-%m-%d}",
        f"{start:%Y%m%d}{between}{end:%Y%m%d}",
        f"Perioden {start:%Y-%m-%d}{between}{end:%Y-%m-%d}.",
    ):
        assert find_personal_numbers(text) == [], text


@settings(max_examples=300)
@given(day=DATES, time=TIMES, end=TIMES)
def test_times_written_with_a_colon_or_dot_pass(day, time, end):
    for text in (
        f"{day:%Y-%m-%d} {time:%H:%M}",
        f"{day:%Y-%m-%d} {time:%H.%M}",
        f"{day:%Y-%m-%d} kl. {time:%H.%M}–{end:%H.%M}",
        f"{day:%Y%m%d} {time:%H:%M}",
        f"{day:%y%m%d} {time:%H:%M}",
        f"Klockan {time:%H.%M}–{end:%H.%M}",
    ):
        assert find_personal_numbers(text) == [], text


@settings(max_examples=300)
@given(day=DATES, time=TIMES)
def test_a_date_with_a_time_without_colon_is_refused_only_if_its_digits_form_a_number(day, time):
    text = f"Möte {day:%Y-%m-%d} {time:%H%M}."
    expected = _is_valid(f"{day:%y%m%d}", f"{time:%H%M}", century=day.year // 100)
    assert bool(find_personal_numbers(text)) == expected


PHONE_DIGITS = st.text(alphabet="0123456789", min_size=9, max_size=9)


@settings(max_examples=300)
@given(rest=PHONE_DIGITS)
def test_phone_numbers_in_groups_pass(rest):
    mobile = "07" + rest[:8]
    for text in (
        f"{mobile[:3]}-{mobile[3:6]} {mobile[6:8]} {mobile[8:]}",
        f"{mobile[:3]} {mobile[3:6]} {mobile[6:8]} {mobile[8:]}",
        f"+46 {mobile[1:3]} {mobile[3:6]} {mobile[6:8]} {mobile[8:]}",
        f"+46 (0){mobile[1:3]}-{mobile[3:6]} {mobile[6:8]} {mobile[8:]}",
        f"08-{rest[:3]} {rest[3:6]} {rest[6:8]}",
        f"0{rest[:2]}-{rest[2:4]} {rest[4:6]} {rest[6:8]}",
        f"{mobile[:3]}.{mobile[3:6]}.{mobile[6:8]}.{mobile[8:]}",
    ):
        assert find_personal_numbers(f"Ring {text}.") == [], text


@settings(max_examples=300)
@given(
    rest=st.text(alphabet="0123456789", min_size=8, max_size=8),
    prefix=st.sampled_from("0123456789"),
)
def test_a_phone_number_in_one_group_is_refused_only_if_its_digits_form_a_number(rest, prefix):
    phone = f"0{prefix}{rest}"
    assert bool(find_personal_numbers(f"Ring {phone}.")) == _is_valid(phone[:6], phone[6:])


@settings(max_examples=200)
@given(
    first=st.integers(1, 9),
    second=st.integers(0, 9),
    third=st.integers(2, 9),  # an organisation number's "month" is 20 or more
    rest=st.text(alphabet="0123456789", min_size=7, max_size=7),
    dash=st.sampled_from(DASHES),
)
def test_organisation_numbers_pass(first, second, third, rest, dash):
    number = f"{first}{second}{third}{rest[:3]}{dash}{rest[3:]}"
    assert find_personal_numbers(f"Org.nr {number}") == []
    assert find_personal_numbers(f"Org.nr 16{number}") == []


@settings(max_examples=200)
@given(
    prefix=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ", min_size=2, max_size=6),
    year=st.integers(2000, 2100),
    serial=st.integers(0, 9999),
)
def test_case_codes_pass(prefix, year, serial):
    assert find_personal_numbers(f"Ärende {prefix}-{year}-{serial:03d}") == []


# --- The message and the helpers ----------------------------------------------------------------


def test_the_message_points_at_the_number_without_repeating_it():
    with pytest.raises(ValidationError) as error:
        validate_no_personal_number("Eleven 640823-3234 mår dåligt.")
    message = error.value.messages[0]
    assert "640823-****" in message
    assert "3234" not in message


def test_the_message_says_how_to_write_a_time_or_phone_number_in_swedish():
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        validate_no_personal_number("Möte 2018-12-18 1400.")
    message = error.value.messages[0]
    assert "personnumret" in message
    assert "kolon (14:00)" in message
    assert "070-123 45 67" in message
    assert "2018-12-18 ****" in message


def test_mask_hides_the_last_four_digits():
    assert mask("196408233234") == "19640823****"
    assert mask("640823\r\n32\u200b34") == "640823  ****"
    assert mask("６４０８２３－３２３４") == "６４０８２３－****"


def test_mask_value_masks_every_string_of_a_json_value():
    value = {"aim": "Se 640823-3234", "list": ["640823 3234", 3], "640823-3234": True}
    assert mask_value(value) == {
        "aim": "Se 640823-****",
        "list": ["640823 ****", 3],
        "640823-****": True,
    }


def test_json_values_and_file_names_are_checked():
    with pytest.raises(ValidationError):
        validate_no_personal_number({"section": ["Eleven 640823-3234"]})
    with pytest.raises(ValidationError):
        validate_no_personal_number({"640823-3234": 1})
    validate_no_personal_number({"section": ["Eleven 2018-12-18 14:00"], "n": 6408233234})
    with pytest.raises(ValidationError) as error:
        validate_file_name("640823-3234 journal.txt")
    assert "640823-****" in error.value.messages[0]
    validate_file_name("Plan 2018-12-18.pdf")


def test_29_february_counts_in_a_leap_year_of_any_century():
    nine = "000229123"
    number = f"{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"
    assert find_personal_numbers(number) == [number]


def test_a_full_date_must_be_real_and_not_ahead():
    nine = "000229123"
    check = luhn_check_digit(nine)
    assert find_personal_numbers(f"20000229-{nine[6:]}{check}")
    assert not find_personal_numbers(f"19000229-{nine[6:]}{check}")  # 1900 was no leap year
    tomorrow = TODAY + datetime.timedelta(days=1)
    ahead = f"{tomorrow:%y%m%d}123"
    assert not find_personal_numbers(f"{tomorrow:%Y%m%d}-123{luhn_check_digit(ahead)}")


def test_long_texts_are_checked_quickly():
    import time

    started = time.perf_counter()
    for text in ("x" * 200_000, "Å" * 200_000, "1 " * 100_000):
        find_personal_numbers(text)
    assert time.perf_counter() - started < 5


def test_the_validator_needs_nothing_from_cases():
    """Other apps (the exchange) import the guard without importing cases."""
    import subprocess
    import sys

    code = (
        "import sys, django, os;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.test');"
        "import infra.pnr;"
        "assert not any(m == 'cases' or m.startswith('cases.') for m in sys.modules), 'cases imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
