"""Signing in and out, password reset and change, e-mail confirmation, the closed sign-up, the
admin's login and allauth's rate limits — all through the pages, as a person meets them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from pilots.models import User
from tests.pilots.factories import PASSWORD, UserFactory

LOGIN = reverse("account_login")


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password, **extra})


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.fixture
def person(db):
    return UserFactory(email="mia@example.org", full_name="Mia Medlem")


# --- The login page ----------------------------------------------------------------------------


def test_login_page_is_swedish_with_real_labels(client, db):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert "Logga in i Triad" in html
    assert '<label class="form-label" for="id_login">E-postadress</label>' in html
    assert '<label class="form-label" for="id_password">Lösenord</label>' in html
    assert "Glömt lösenordet?" in html


def test_login_page_links_to_no_sign_up(client, db):
    html = client.get(LOGIN).content.decode()
    assert reverse("account_signup") not in html
    assert "Skapa konto" not in html


def test_login_and_closed_sign_up_point_municipalities_to_interest_registration(client, db):
    register = reverse("pilots:registration_create")
    assert register in client.get(LOGIN).content.decode()
    assert register in client.get(reverse("account_signup")).content.decode()


def test_no_account_page_links_to_sign_up(client, person):
    client.force_login(person)
    signup = reverse("account_signup")
    for name in ("pilots:home", "account_change_password", "mfa_index", "account_email"):
        assert signup not in client.get(reverse(name)).content.decode(), name


def test_signup_url_says_sign_up_is_closed_and_creates_nobody(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Triad har ingen öppen registrering" in response.content.decode()

    response = client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.org",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert "Triad har ingen öppen registrering" in response.content.decode()
    assert not User.objects.filter(email="ny@example.org").exists()


def test_person_signs_in_with_email_and_password_and_reaches_home(client, person):
    response = sign_in(client, "Mia@Example.org")
    assert response.status_code == 302
    assert response.url == reverse("pilots:home")
    home = client.get(response.url)
    assert home.status_code == 200
    assert home.wsgi_request.user == person


def test_session_key_changes_at_sign_in(client, person):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    sign_in(client, person.email)
    assert client.session.session_key != before


def test_sign_in_honours_a_safe_next_and_ignores_a_foreign_one(client, person):
    response = sign_in(client, person.email, next="/accounts/2fa/")
    assert response.url == "/accounts/2fa/"
    client.logout()
    response = sign_in(client, person.email, next="https://evil.example.com/")
    assert response.url == reverse("pilots:home")


def test_wrong_password_is_refused_with_a_swedish_message(client, person):
    response = sign_in(client, person.email, password="not-the-password")
    assert response.status_code == 200
    assert "lösenordet är felaktigt" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_person_cannot_sign_in(client, person):
    person.is_active = False
    person.save()
    response = sign_in(client, person.email)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.url == reverse("account_inactive")


def test_unconfirmed_address_gets_a_confirmation_email_instead_of_a_session(
    client, person, django_capture_on_commit_callbacks
):
    EmailAddress.objects.filter(user=person).update(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, person.email)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "Bekräfta din e-postadress" in page

    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject.startswith("[Triad] ")
    assert "Hej!" in message.body
    assert message.alternatives and "Triad" in message.alternatives[0][0]

    confirm = client.get(link_in(message))
    assert confirm.status_code == 200
    assert "Bekräfta adressen" in confirm.content.decode()
    client.post(link_in(message))
    assert EmailAddress.objects.get(user=person).verified


def test_sign_out_needs_a_post_and_ends_the_session(client, person):
    sign_in(client, person.email)
    page = client.get(reverse("account_logout"))
    assert "Logga ut från Triad?" in page.content.decode()
    assert "_auth_user_id" in client.session
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response.url == LOGIN
    assert client.get(reverse("pilots:home")).status_code == 302


# --- Password reset -----------------------------------------------------------------------------


def test_password_reset_from_request_to_new_password(
    client, person, django_capture_on_commit_callbacks
):
    page = client.get(reverse("account_reset_password"))
    assert "Återställ ditt lösenord" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": person.email})
    assert response.url == reverse("account_reset_password_done")
    assert "Titta i din e-post" in client.get(response.url).content.decode()

    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject.startswith("[Triad] ")
    assert "återställa lösenordet" in message.body
    link = link_in(message)

    response = client.get(link)  # allauth moves the key into the session and redirects
    form_url = response.url
    page = client.get(form_url)
    assert "Välj ett nytt lösenord" in page.content.decode()
    response = client.post(
        form_url, {"password1": "ny-och-lang-fras-2018", "password2": "ny-och-lang-fras-2018"}
    )
    assert response.url == reverse("account_reset_password_from_key_done")
    assert "Ditt lösenord är bytt" in client.get(response.url).content.decode()

    assert sign_in(client, person.email, password="ny-och-lang-fras-2018").status_code == 302
    client.logout()
    assert sign_in(client, person.email).status_code == 200  # the old password no longer works


def test_password_reset_link_works_once(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": person.email})
    link = link_in(mail.outbox[0])
    form_url = client.get(link).url
    client.post(
        form_url, {"password1": "ny-och-lang-fras-2018", "password2": "ny-och-lang-fras-2018"}
    )

    again = client.get(link, follow=True)
    assert "Länken fungerar inte" in again.content.decode()


def test_password_reset_rejects_a_weak_password_in_swedish(
    client, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": person.email})
    form_url = client.get(link_in(mail.outbox[0])).url
    response = client.post(form_url, {"password1": "12345", "password2": "12345"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "för kort" in html
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_password_reset_for_an_unknown_address_looks_the_same_and_offers_no_sign_up(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "okand@example.org"})
    assert response.url == reverse("account_reset_password_done")
    (message,) = mail.outbox
    assert "Det finns inget konto med den adressen" in message.body
    assert reverse("account_signup") not in message.body


def test_reset_email_is_in_the_recipients_language(
    client, person, django_capture_on_commit_callbacks
):
    person.language = "en"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": person.email})
    assert "reset the password of your Triad account" in mail.outbox[0].body


# --- Password change and reauthentication --------------------------------------------------------


def test_password_change_asks_for_the_current_password_and_notifies_by_email(
    client, person, django_capture_on_commit_callbacks
):
    sign_in(client, person.email)
    page = client.get(reverse("account_change_password"))
    assert "Nuvarande lösenord" in page.content.decode()

    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "wrong",
            "password1": "ny-och-lang-fras-2018",
            "password2": "ny-och-lang-fras-2018",
        },
    )
    assert response.status_code == 200
    assert "Skriv in ditt nuvarande lösenord." in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_change_password"),
            {
                "oldpassword": PASSWORD,
                "password1": "ny-och-lang-fras-2018",
                "password2": "ny-och-lang-fras-2018",
            },
        )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("ny-och-lang-fras-2018")
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_reauthentication_asks_for_the_password_before_two_factor_settings(client, person):
    client.force_login(person)  # a session without a fresh password check
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    page = client.get(response.url)
    assert "Bekräfta åtkomst" in page.content.decode()
    response = client.post(
        reverse("account_reauthenticate"),
        {"password": PASSWORD, "next": reverse("mfa_activate_totp")},
    )
    assert response.url == reverse("mfa_activate_totp")
    assert client.get(response.url).status_code == 200


def test_changing_the_email_address_waits_for_confirmation_of_the_new_one(
    client, person, django_capture_on_commit_callbacks
):
    sign_in(client, person.email)
    page = client.get(reverse("account_email"))
    assert "Ny e-postadress" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "mia.ny@example.org"}
        )
        # Changing the address asks for the password again, then carries out the change.
        assert response.url.startswith(reverse("account_reauthenticate"))
        client.post(response.url, {"password": PASSWORD})
    assert "Väntar på bekräftelse" in client.get(reverse("account_email")).content.decode()
    person.refresh_from_db()
    assert person.email == "mia@example.org"
    confirm = next(m for m in mail.outbox if m.to == ["mia.ny@example.org"])
    client.post(link_in(confirm))
    person.refresh_from_db()
    assert person.email == "mia.ny@example.org"


# --- The admin signs in through allauth -----------------------------------------------------------


def test_admin_login_sends_to_allauths_login_page(client, db):
    response = client.get(reverse("admin:index"))
    assert response.url.startswith(reverse("admin:login"))
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN + "?next=")


def test_staff_signs_in_to_the_admin_through_allauth(client, db):
    staff = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.url == LOGIN + "?next=%2Fadmin%2F"
    response = sign_in(client, staff.email, next="/admin/")
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_login_refuses_a_signed_in_person_without_admin_access(client, person):
    client.force_login(person)
    assert client.get(reverse("admin:login")).status_code == 403


# --- Rate limits ---------------------------------------------------------------------------------


def test_repeated_failed_logins_lock_the_account_even_with_the_right_password(client, person):
    for _ in range(5):
        assert sign_in(client, person.email, password="guess").status_code == 200
    response = sign_in(client, person.email)
    assert response.status_code == 200
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_login_limit_is_kept_in_the_configured_cache(client, person):
    from django.core.cache import cache

    for _ in range(5):
        sign_in(client, person.email, password="guess")
    assert "För många" in sign_in(client, person.email).content.decode()
    cache.clear()  # the counts live in the cache: emptying it lifts the limit
    assert sign_in(client, person.email).status_code == 302


def test_without_a_working_cache_there_is_nothing_to_count(client, person, settings):
    """The counter is the configured cache and nothing else (in production: Redis, shared by
    every web process). A dummy cache remembers nothing, so nothing is ever refused."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(8):
        sign_in(client, person.email, password="guess")
    assert sign_in(client, person.email).status_code == 302


def test_failed_logins_from_one_address_are_limited_across_accounts(client, db):
    people = [UserFactory() for _ in range(11)]
    for p in people[:10]:
        sign_in(client, p.email, password="guess")
    response = sign_in(client, people[10].email)
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_hammering_the_login_page_answers_429_in_swedish(client, db):
    statuses = [sign_in(client, f"x{i}@example.org", password="x").status_code for i in range(31)]
    assert statuses[-1] == 429
    response = sign_in(client, "y@example.org", password="x")
    assert response.status_code == 429
    assert "För många försök" in response.content.decode()


def test_admin_login_is_throttled_too(client, db):
    staff = UserFactory(is_staff=True)
    for _ in range(5):
        sign_in(client, staff.email, password="guess", next="/admin/")
    response = sign_in(client, staff.email, next="/admin/")
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert client.get("/admin/").status_code == 302


# --- What a signed-in person sees: the menu per role, and pages built to be read ------------------


def test_anonymous_visitor_sees_no_menu_only_the_brand(client, db):
    html = client.get(LOGIN).content.decode()
    assert "navbar-toggler" not in html
    assert reverse("account_logout") not in html


def test_member_menu_has_their_site_and_their_account(client_for, member_a, site_a):
    html = client_for(member_a).get(reverse("pilots:home")).content.decode()
    assert "Mitt område" in html
    assert site_a.get_absolute_url() in html
    from django.utils import translation

    from pilots.models import Role

    with translation.override("sv"):
        assert str(Role.WORKING.label) in html  # their role beside the site
    for name in ("account_email", "account_change_password", "mfa_index"):
        assert reverse(name) in html
    assert f'<form method="post" action="{reverse("account_logout")}">' in html
    assert "Administration" not in html
    assert "Nationell samordnare" not in html


def test_a_person_with_several_sites_sees_them_all(client_for, member_a, site_b):
    from pilots.models import Role
    from tests.pilots.factories import MembershipFactory

    MembershipFactory(site=site_b, user=member_a, role=Role.STEERING)
    html = client_for(member_a).get(reverse("pilots:home")).content.decode()
    assert "Mina områden" in html
    assert "Område A" in html and "Område B" in html


def test_coordinator_is_named_as_such_in_the_menu(client_for, coordinator):
    html = client_for(coordinator).get(reverse("pilots:home")).content.decode()
    assert "Nationell samordnare" in html


def test_staff_get_a_way_to_the_admin(client_for, db):
    staff = UserFactory(is_staff=True)
    assert reverse("admin:index") in client_for(staff).get(reverse("pilots:home")).content.decode()


def test_site_pages_carry_the_site_menu_that_folds_on_a_phone(client_for, member_a, site_a):
    html = client_for(member_a).get(site_a.get_absolute_url()).content.decode()
    assert 'aria-label="Områdets meny"' in html
    assert 'data-bs-target="#site-menu"' in html
    assert 'id="site-menu"' in html
    assert 'aria-current="page"' in html  # the overview is marked as the current page


def test_skip_link_comes_first_and_leads_to_the_content(client_for, member_a):
    html = client_for(member_a).get(reverse("pilots:home")).content.decode()
    body = html[html.index("<body") :]
    first_link = body.index("<a ")
    assert body[first_link:].startswith('<a class="skip-link')
    assert 'href="#main"' in body[first_link : first_link + 120]
    assert '<main id="main"' in html


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
        "account_inactive",
    ],
)
def test_entrance_pages_have_one_h1_and_a_title(client, db, name):
    html = client.get(reverse(name)).content.decode()
    assert html.count("<h1") == 1, name
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.strip().endswith("· Triad") and len(title.strip()) > len("· Triad")


@pytest.mark.parametrize(
    "name",
    [
        "account_change_password",
        "account_email",
        "mfa_index",
        "account_reauthenticate",
        "account_logout",
    ],
)
def test_account_pages_have_one_h1_and_a_title(client_for, member_a, name):
    html = client_for(member_a).get(reverse(name)).content.decode()
    assert html.count("<h1") == 1, name
    assert re.search(r"<title>\s*\S.*· Triad</title>", html, re.S), name
