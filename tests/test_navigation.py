"""The menus are drawn once per set of facts and kept (infra/navigation.py). What must hold:
the kept HTML follows from the facts alone, so nobody is shown another person's menu, a
change shows at once, and the sign-out form carries the reader's own CSRF token."""

import datetime
import re

import pytest
from django.template import Context
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from infra.navigation import CSRF_MARK, Menus, MySite, SiteMenu, draw, section
from pilots.models import Membership, Role
from tests.pilots.factories import MembershipFactory

# The names a menu template may read: the facts, the CSRF mark, and what the templates bind
# themselves ({% with %}, {% include … with %}, {% for %}).
ALLOWED = {"menus", "csrf_mark", "site", "here", "current", "on_schools", "forloop", "block"}


class ReadingContext(Context):
    """A context that notes every name a template looks up in it."""

    def __init__(self, *args, read, **kwargs):
        super().__init__(*args, **kwargs)
        self.read = read

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, otherwise=None):
        self.read.add(key)
        return super().get(key, otherwise)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def __copy__(self):
        duplicate = super().__copy__()
        duplicate.read = self.read
        return duplicate


def every_fact():
    """Facts that open every branch of the menus."""
    return Menus(
        language="sv",
        signed_in=True,
        short_name="Bob",
        email="bob@example.org",
        is_coordinator=True,
        is_staff=True,
        my_sites=(MySite(url="/sites/a/", name="A", roles="Projektledare", current=True),),
        view_name="cases:case_list",
        namespace="cases",
        url_name="case_list",
        section="cases",
        site=SiteMenu(
            url="/sites/a/", name="A", slug="a", phase="Test", can_see_cases=True, is_lead=True
        ),
    )


def test_the_menu_templates_read_nothing_but_the_facts():
    read = set()
    template = get_template("includes/menus.html").template
    with translation.override("en"):
        html = template.render(
            ReadingContext({"menus": every_fact(), "csrf_mark": CSRF_MARK}, read=read)
        )
    for drawn in ("Bob", "Cases", "Access log follow-up", "Administration", "Pilot sites"):
        assert drawn in html  # every branch was drawn
    assert read - ALLOWED == set(), "a menu template reads more than the facts"


def test_the_check_sees_a_template_that_reads_the_request():
    read = set()
    template = get_template("includes/menus.html").template.engine.from_string(
        "{% if user.is_coordinator %}x{% endif %}{{ request.path }}"
    )
    template.render(ReadingContext({"menus": every_fact()}, read=read))
    assert {"user", "request"} <= read - ALLOWED


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/sites/malmo/cases/12/", "cases"),
        ("/sites/malmo/tests/", "tests"),
        ("/sites/malmo/", ""),
        ("/exchange/threads/", ""),
        ("/", ""),
    ],
)
def test_a_sites_menu_group_is_the_part_after_its_slug(path, expected):
    assert section(path) == expected


def menu_of(html):
    """The main menu, without the sign-out form's token (masked anew on every page)."""
    menu = re.search(r'<nav class="navbar.*?</nav>', html, re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", menu)


def test_two_people_on_the_same_page_each_see_their_own_menu(
    client, lead_a, member_b, site_a, site_b
):
    draw.cache_clear()
    url = reverse("pilots:home")
    client.force_login(lead_a)
    first = menu_of(client.get(url).content.decode())
    client.force_login(member_b)
    second = menu_of(client.get(url).content.decode())
    assert site_a.name in first and lead_a.email in first
    assert site_a.name not in second and lead_a.email not in second
    assert site_b.name in second and member_b.email in second
    client.force_login(lead_a)
    assert menu_of(client.get(url).content.decode()) == first  # drawn once, shown again
    assert draw.cache_info().hits >= 1


def test_a_new_role_and_a_renamed_site_show_on_the_next_page(client, lead_a, site_a, site_b):
    url = reverse("pilots:home")
    client.force_login(lead_a)
    assert site_b.name not in menu_of(client.get(url).content.decode())
    MembershipFactory(site=site_b, user=lead_a, role=Role.STEERING)
    site_a.name = "Område A, omdöpt"
    site_a.save()
    menu = menu_of(client.get(url).content.decode())
    assert site_b.name in menu and "Område A, omdöpt" in menu


def test_a_role_that_has_ended_leaves_the_menu_the_next_day(client, lead_a, site_a):
    url = reverse("pilots:home")
    client.force_login(lead_a)
    assert site_a.name in menu_of(client.get(url).content.decode())
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Membership.objects.filter(user=lead_a).update(ends_on=yesterday)
    assert site_a.name not in menu_of(client.get(url).content.decode())


def test_the_sign_out_form_carries_the_readers_own_token(lead_a, member_a):
    """Both draw the same kept menu (same site, same role kind aside): each page's sign-out
    form holds a token that signs its own reader out, under CSRF checks."""
    for person in (lead_a, member_a, lead_a):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        page = client.get(reverse("pilots:home")).content.decode()
        form = re.search(r'action="/accounts/logout/">(<input[^>]+>)', page).group(1)
        token = re.search(r'value="([^"]+)"', form).group(1)
        assert CSRF_MARK not in page
        response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session
