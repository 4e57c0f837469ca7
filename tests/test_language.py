"""Swedish first: the interface is Swedish whatever the browser asks for; English is one click
away in the footer and follows a signed-in person to every device; dates and numbers are
written the Swedish way."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation

LOGIN = reverse("account_login")
SWITCH = reverse("set_language")


def test_interface_is_swedish_by_default(client, db):
    response = client.get(LOGIN)
    assert '<html lang="sv">' in response.content.decode()
    assert response["Content-Language"] == "sv"


@pytest.mark.parametrize("accept", ["en", "en-GB,en;q=0.9", "de-DE,de;q=0.8,en;q=0.5"])
def test_browser_language_is_not_consulted(client, db, accept):
    response = client.get(LOGIN, headers={"accept-language": accept})
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Logga in i Triad" in html


def test_allauths_own_texts_show_in_swedish(client, db):
    response = client.post(LOGIN, {"login": "nobody@example.org", "password": "wrong"})
    assert "lösenordet är felaktigt" in response.content.decode()


def test_footer_switch_offers_both_languages_and_says_what_it_does(client, db):
    html = client.get(LOGIN).content.decode()
    assert f'action="{SWITCH}"' in html
    assert '<option value="sv" selected>Svenska</option>' in html
    assert '<option value="en" >English</option>' in html
    assert "Byt språk" in html


def test_anonymous_visitor_switches_to_english_with_the_footer(client, db):
    response = client.post(SWITCH, {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response.url == LOGIN
    html = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in to Triad" in html

    client.post(SWITCH, {"language": "sv", "next": LOGIN})
    assert "Logga in i Triad" in client.get(LOGIN).content.decode()


def test_switch_is_stored_on_the_person_and_follows_them_to_a_new_device(
    client, member_a, django_user_model
):
    client.force_login(member_a)
    client.post(SWITCH, {"language": "en", "next": "/"})
    member_a.refresh_from_db()
    assert member_a.language == "en"

    from django.test import Client

    other_device = Client()
    other_device.force_login(member_a)
    html = other_device.get(reverse("pilots:home")).content.decode()
    assert '<html lang="en">' in html


def test_a_persons_choice_wins_over_a_cookie_left_behind(client, member_a):
    member_a.language = "sv"
    member_a.save()
    client.cookies["django_language"] = "en"
    client.force_login(member_a)
    assert '<html lang="sv">' in client.get(reverse("pilots:home")).content.decode()


def test_an_unknown_language_is_refused_and_swedish_stays(client, member_a):
    client.force_login(member_a)
    client.post(SWITCH, {"language": "xx", "next": "/"})
    member_a.refresh_from_db()
    assert member_a.language == "sv"
    assert '<html lang="sv">' in client.get(reverse("pilots:home")).content.decode()


def test_switch_does_not_redirect_off_site(client, db):
    response = client.post(SWITCH, {"language": "en", "next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert "evil" not in response.url


def test_switch_needs_a_post(client, db):
    assert client.get(SWITCH).status_code == 405


# --- Swedish formats (config/formats/sv) ------------------------------------------------------


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield


def render(source, **context):
    return Template("{% load l10n humanize %}" + source).render(Context(context))


def test_dates_are_written_the_swedish_way(swedish):
    day = datetime.date(2018, 3, 6)
    assert formats.date_format(day) == "6 mars 2018"
    assert formats.date_format(day, "SHORT_DATE_FORMAT") == "2018-03-06"
    assert render("{{ d|date }}", d=day) == "6 mars 2018"
    assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=day) == "2018-03-06"


def test_times_use_the_24_hour_clock(swedish):
    moment = datetime.datetime(2018, 9, 3, 14, 5)
    assert formats.time_format(moment.time()) == "14:05"
    assert formats.date_format(moment, "DATETIME_FORMAT") == "3 september 2018 14:05"
    assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "2018-09-03 14:05"


def test_numbers_have_a_decimal_comma_and_a_space_between_thousands(swedish):
    assert formats.localize(Decimal("2.5")) == "2,5"
    assert (
        formats.number_format(Decimal("1234567.5"), 1, force_grouping=True) == "1\xa0234\xa0567,5"
    )
    assert render("{{ n|intcomma }}", n=12345) == "12\xa0345"
    assert render("{{ n|floatformat:1 }}", n=7.25) in ("7,2", "7,3")


def test_weeks_start_on_monday(swedish):
    assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


@pytest.mark.parametrize("typed", ["2018-03-06", "18-03-06", "20180306"])
def test_dates_typed_the_swedish_ways_are_understood(swedish, typed):
    assert forms.DateField().clean(typed) == datetime.date(2018, 3, 6)


def test_decimal_comma_is_understood_in_forms(swedish):
    assert forms.DecimalField(localize=True).clean("2,5") == Decimal("2.5")


def test_an_english_speaker_gets_english_dates_written_as_the_swedish_ones(client):
    """Issue 15: the English interface writes ISO dates like the Swedish one, and day before
    month in words, never the US order."""
    with translation.override("en"):
        assert formats.date_format(datetime.date(2018, 3, 6)) == "6 March 2018"
        assert formats.date_format(datetime.date(2018, 3, 6), "SHORT_DATE_FORMAT") == "2018-03-06"


def test_responses_say_they_vary_by_cookie(client, db):
    """A shared cache must not hand one person's English page to another's Swedish request."""
    assert "Cookie" in client.get(LOGIN)["Vary"]


def test_language_names_are_lower_case_in_swedish_running_text():
    """Finding: "Påminnelser skickas … på Svenska"."""
    from django.utils import translation

    from pilots.models import User

    with translation.override("sv"):
        assert User(language="sv").get_language_display() == "svenska"
        assert User(language="en").get_language_display() == "engelska"


def test_a_role_is_not_repeated_as_its_title():
    from pilots.models import Membership, Role

    assert Membership(role=Role.LEAD, title="Projektledare").role_and_title == "Projektledare"
    assert Membership(role=Role.LEAD, title="").role_and_title == "Projektledare"
    assert Membership(role=Role.WORKING, title="Kurator").role_and_title.endswith("(Kurator)")
