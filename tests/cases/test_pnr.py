"""The pseudonymity guard (infra.pnr): every valid personal identity or coordination number
is found, in every format, wherever it sits in a text; look-alikes pass."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.pnr import (
    find_personal_numbers,
    luhn_check_digit,
    mask,
    validate_no_personal_number,
)


@st.composite
def personal_numbers(draw, coordination=None):
    """A valid number in one of the written formats, with the parts it was made from."""
    birth = draw(
        st.dates(min_value=datetime.date(1890, 1, 1), max_value=datetime.date(2024, 12, 31))
    )
    is_coordination = draw(st.booleans()) if coordination is None else coordination
    day = birth.day + (60 if is_coordination else 0)
    serial = draw(st.integers(min_value=0, max_value=999))
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    check = luhn_check_digit(nine)
    long_form = draw(st.booleans())
    date_part = f"{birth.year // 100}{nine[:6]}" if long_form else nine[:6]
    separator = draw(st.sampled_from(["-", "", "+"] if not long_form else ["-", ""]))
    return f"{date_part}{separator}{nine[6:]}{check}"


# Text around a number: anything that does not touch it with a digit.
surrounding = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="0123456789"),
    max_size=40,
)


@settings(max_examples=300)
@given(number=personal_numbers())
def test_every_valid_number_is_found(number):
    assert find_personal_numbers(number) == [number]


@settings(max_examples=200)
@given(number=personal_numbers(coordination=True))
def test_coordination_numbers_with_day_plus_60_are_found(number):
    assert find_personal_numbers(number) == [number]


@settings(max_examples=200)
@given(before=surrounding, number=personal_numbers(), after=surrounding)
def test_a_number_anywhere_in_a_text_is_found(before, number, after):
    assert number in find_personal_numbers(f"{before}{number}{after}")


@settings(max_examples=200)
@given(number=personal_numbers(), wrong=st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_passes(number, wrong):
    bad = number[:-1] + str((int(number[-1]) + wrong) % 10)
    assert find_personal_numbers(bad) == []


@settings(max_examples=100)
@given(number=personal_numbers())
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
    ],
)
def test_known_numbers_are_found(number):
    assert find_personal_numbers(f"Se {number} i journalen") == [number]


LOOK_ALIKES = [
    "Första kontakt 2018-09-03, uppföljning 2018-10-15.",
    "Workshop 20180903 i Stockholm.",
    "Läsåret 2018/2019, vecka 38.",
    "Ring elevhälsan på 070-123 45 67 eller 08-123 456 78.",
    "Telefon +46 70 123 45 67.",
    "Mobil 0701234567.",  # ten digits, but not a valid check digit
    "Ärendet MAL-2018-007 följer på MAL-2018-006.",
    "Organisationsnummer 212000-1355 (kommunen).",
    "Ett felskrivet nummer: 640823-3235.",  # invalid Luhn
    "Datumet 641323-3234 finns inte.",  # month 13
    "Datumet 640832-3234 finns inte.",  # day 32
    "Mellan 1 200 och 1 500 elever.",
    "Klockan 08.30–09.15, sal 2014.",
    "Tre pass à 60 minuter, 25 elever per klass.",
    "Postnummer 903 25 och 753 20.",
    "Version 1.2.3, 99,5 %.",
    "123456789",
    "12345678901234",
    "",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_pass(text):
    assert find_personal_numbers(text) == []
    validate_no_personal_number(text)


def test_the_message_points_at_the_number_without_repeating_it():
    with pytest.raises(ValidationError) as error:
        validate_no_personal_number("Eleven 640823-3234 mår dåligt.")
    message = error.value.messages[0]
    assert "640823-****" in message
    assert "3234" not in message


def test_mask_hides_the_last_four_digits():
    assert mask("196408233234") == "19640823****"


def test_29_february_counts_in_a_leap_year_of_any_century():
    nine = "000229123"
    number = f"{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"
    assert find_personal_numbers(number) == [number]


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
