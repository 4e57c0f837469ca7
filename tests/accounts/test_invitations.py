"""Invitations: how every person comes into Triad. The link is the secret, it works once and
for a limited time, and only for the person it was sent to."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services as invitations
from accounts.models import Invitation
from pilots.models import (
    Actor,
    Membership,
    OrganisationKind,
    Role,
    User,
)
from tests.pilots.factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

NEW_PASSWORD = "lugn-och-trygg-skola-42"


def invite_url(site):
    return reverse("accounts:invitation_create", kwargs={"site_slug": site.slug})


def link_from_outbox(to):
    message = next(m for m in reversed(mail.outbox) if m.to == [to])
    return re.search(r"https?://\S+?(/invitation/[\w-]+/)", message.body).group(1)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """send(client, url, data) -> response, with the e-mails it queued delivered."""

    def post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


@pytest.fixture
def invited(coordinator, site_a, django_capture_on_commit_callbacks):
    """A pending invitation to the working group of site A, and its link."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invite(
            email="ny@example.org",
            full_name="Nora Ny",
            invited_by=coordinator,
            site=site_a,
            role=Role.WORKING,
            actor=Actor.SOCIAL,
        )
    return invitation, link_from_outbox("ny@example.org")


# --- Inviting --------------------------------------------------------------------------------


def test_lead_invites_a_working_group_member_by_email(client_for, lead_a, site_a, send):
    response = send(
        client_for(lead_a),
        invite_url(site_a),
        {
            "email": "Ny.Person@Example.org",
            "full_name": "Ny Person",
            "role": "working",
            "actor": "health",
            "title": "Skolsköterska",
            "hours_per_week": "4",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:invitation_list", kwargs={"site_slug": site_a.slug})
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.site, invitation.role) == (
        "ny.person@example.org",
        site_a,
        Role.WORKING,
    )
    assert invitation.invited_by == lead_a
    message = mail.outbox[-1]
    assert message.to == ["ny.person@example.org"]
    assert site_a.name in message.subject and "/invitation/" in message.body
    assert message.alternatives and "<a href=" in message.alternatives[0][0]


def test_the_token_is_not_stored_in_the_clear(client_for, lead_a, site_a, send, invited):
    invitation, link = invited
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_digest
    assert not Invitation.objects.filter(token_digest=token).exists()


def test_role_is_prefilled_from_the_address(client_for, lead_a, site_a):
    response = client_for(lead_a).get(invite_url(site_a), {"role": "steering"})
    assert response.context["form"].initial["role"] == "steering"


def test_a_successor_invitation_is_prefilled_from_the_place_it_takes_over(
    client_for, lead_a, site_a
):
    leaving = MembershipFactory(site=site_a, role=Role.WORKING, actor=Actor.HEALTH, title="Kurator")
    response = client_for(lead_a).get(invite_url(site_a), {"succeeds": leaving.pk})
    initial = response.context["form"].initial
    assert initial["succeeds"] == leaving.pk
    assert (initial["role"], initial["actor"], initial["title"]) == ("working", "health", "Kurator")


def test_succeeding_another_sites_membership_is_404(client_for, lead_a, site_a, member_b):
    other = Membership.objects.get(user=member_b)
    response = client_for(lead_a).get(invite_url(site_a), {"succeeds": other.pk})
    assert response.status_code == 404


def test_a_successor_who_accepts_is_linked_to_the_place_they_take_over(
    client, client_for, lead_a, site_a, send
):
    leaving = MembershipFactory(site=site_a, role=Role.WORKING, actor=Actor.SOCIAL)
    send(
        client_for(lead_a),
        invite_url(site_a) + f"?succeeds={leaving.pk}",
        {"email": "ny@example.org", "role": "working", "actor": "social", "succeeds": leaving.pk},
    )
    link = link_from_outbox("ny@example.org")
    client.logout()
    client.post(
        link, {"full_name": "Nora Ny", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert Membership.objects.get(user__email="ny@example.org").succeeds == leaving


def test_a_lead_cannot_invite_to_another_site(client_for, lead_a, site_b):
    client = client_for(lead_a)
    assert client.get(invite_url(site_b)).status_code == 404
    response = client.post(invite_url(site_b), {"email": "x@example.org", "role": "lead"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_a_working_group_member_cannot_invite(client_for, member_a, site_a):
    client = client_for(member_a)
    assert client.get(invite_url(site_a)).status_code == 403
    response = client.post(invite_url(site_a), {"email": "x@example.org", "role": "working"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_steering_member_cannot_invite(client_for, steering_a, site_a):
    assert client_for(steering_a).get(invite_url(site_a)).status_code == 403


def test_organisation_choices_are_the_sites_own(client_for, lead_a, site_a, site_b):
    unit_a = OrganisationFactory(
        name="Socialtjänsten A",
        kind=OrganisationKind.UNIT,
        actor="social",
        parent=site_a.municipality,
    )
    unit_b = OrganisationFactory(
        name="Socialtjänsten B",
        kind=OrganisationKind.UNIT,
        actor="social",
        parent=site_b.municipality,
    )
    field = client_for(lead_a).get(invite_url(site_a)).context["form"].fields["organisation"]
    choices = set(field.queryset)
    assert {site_a.municipality, site_a.region, unit_a} <= choices
    assert not {site_b.municipality, site_b.region, unit_b} & choices


def test_a_lead_cannot_pick_another_sites_organisation(client_for, lead_a, site_a, site_b):
    response = client_for(lead_a).post(
        invite_url(site_a),
        {
            "email": "x@example.org",
            "role": "working",
            "actor": "school",
            "organisation": site_b.municipality.pk,
        },
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_a_unit_fills_in_its_actor(client_for, lead_a, site_a, send):
    unit = OrganisationFactory(
        name="BUP Demo", kind=OrganisationKind.UNIT, actor="health", parent=site_a.region
    )
    send(
        client_for(lead_a),
        invite_url(site_a),
        {"email": "x@example.org", "role": "working", "organisation": unit.pk},
    )
    assert Invitation.objects.get().actor == "health"


def test_hours_set_aside_are_only_for_social_services_and_healthcare(client_for, lead_a, site_a):
    response = client_for(lead_a).post(
        invite_url(site_a),
        {"email": "x@example.org", "role": "working", "actor": "school", "hours_per_week": "4"},
    )
    assert "hours_per_week" in response.context["form"].errors


def test_a_group_member_needs_an_actor(client_for, lead_a, site_a):
    response = client_for(lead_a).post(
        invite_url(site_a), {"email": "x@example.org", "role": "steering"}
    )
    assert "actor" in response.context["form"].errors


def test_someone_who_already_holds_the_role_is_not_invited_again(
    client_for, lead_a, member_a, site_a
):
    response = client_for(lead_a).post(
        invite_url(site_a), {"email": member_a.email.upper(), "role": "working", "actor": "school"}
    )
    assert "email" in response.context["form"].errors


def test_a_second_invitation_while_one_waits_points_to_resend(client_for, lead_a, site_a, invited):
    response = client_for(lead_a).post(
        invite_url(site_a), {"email": "ny@example.org", "role": "working", "actor": "social"}
    )
    assert "email" in response.context["form"].errors
    assert Invitation.objects.count() == 1


# --- The list, resending and withdrawing ----------------------------------------------------


def test_list_shows_waiting_accepted_and_expired_invitations(client_for, lead_a, site_a):
    InvitationFactory(site=site_a, email="waiting@example.org")
    InvitationFactory(site=site_a, email="done@example.org", accepted_at=timezone.now())
    InvitationFactory(
        site=site_a, email="old@example.org", expires_at=timezone.now() - datetime.timedelta(1)
    )
    client = client_for(lead_a)
    url = reverse("accounts:invitation_list", kwargs={"site_slug": site_a.slug})
    tabs = {state: count for state, _label, count in client.get(url).context["tabs"]}
    assert tabs == {"pending": 1, "accepted": 1, "expired": 1, "withdrawn": 0}
    assert "waiting@example.org" in client.get(url).content.decode()
    assert "old@example.org" in client.get(url, {"state": "expired"}).content.decode()
    assert "done@example.org" in client.get(url, {"state": "accepted"}).content.decode()


def test_list_does_not_show_other_sites_invitations(client_for, lead_a, site_a, site_b):
    InvitationFactory(site=site_b, email="elsewhere@example.org")
    url = reverse("accounts:invitation_list", kwargs={"site_slug": site_a.slug})
    assert "elsewhere@example.org" not in client_for(lead_a).get(url).content.decode()


def test_list_queries_stay_bounded(client_for, lead_a, site_a, django_assert_max_num_queries):
    for _ in range(20):
        InvitationFactory(site=site_a, invited_by=lead_a, succeeds=None)
    client = client_for(lead_a)
    url = reverse("accounts:invitation_list", kwargs={"site_slug": site_a.slug})
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_resending_sends_a_new_link_and_the_old_one_stops_working(
    client, client_for, lead_a, site_a, invited, send
):
    invitation, old_link = invited
    url = reverse(
        "accounts:invitation_resend", kwargs={"site_slug": site_a.slug, "pk": invitation.pk}
    )
    assert send(client_for(lead_a), url, {}).status_code == 302
    new_link = link_from_outbox("ny@example.org")
    assert new_link != old_link
    client.logout()
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_resending_an_expired_invitation_makes_it_valid_again(
    client_for, lead_a, site_a, invited, send
):
    invitation, _link = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    url = reverse(
        "accounts:invitation_resend", kwargs={"site_slug": site_a.slug, "pk": invitation.pk}
    )
    send(client_for(lead_a), url, {})
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_withdrawing_makes_the_link_stop_working(client, client_for, lead_a, site_a, invited):
    invitation, link = invited
    url = reverse(
        "accounts:invitation_withdraw", kwargs={"site_slug": site_a.slug, "pk": invitation.pk}
    )
    assert client_for(lead_a).get(url).status_code == 200  # asks first
    client_for(lead_a).post(url)
    client.logout()
    response = client.get(link)
    assert response.context["state"] == "withdrawn"
    assert not Membership.objects.filter(user__email="ny@example.org").exists()


def test_another_sites_invitation_cannot_be_withdrawn_through_own_site(
    client_for, lead_a, site_a, site_b
):
    foreign = InvitationFactory(site=site_b)
    url = reverse(
        "accounts:invitation_withdraw", kwargs={"site_slug": site_a.slug, "pk": foreign.pk}
    )
    assert client_for(lead_a).post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


# --- Accepting -------------------------------------------------------------------------------


def test_a_new_person_sets_name_and_password_and_is_signed_in(client, invited, site_a):
    _invitation, link = invited
    page = client.get(link)
    assert page.status_code == 200 and page.context["form"].initial["full_name"] == "Nora Ny"
    response = client.post(
        link, {"full_name": "Nora Ny", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.url == site_a.get_absolute_url()
    user = User.objects.get(email="ny@example.org")
    assert user.check_password(NEW_PASSWORD) and user.full_name == "Nora Ny"
    assert EmailAddress.objects.get(user=user).verified
    membership = Membership.objects.get(user=user)
    assert (membership.site, membership.role, membership.actor) == (site_a, "working", "social")
    # Signed in: the site's page opens.
    assert client.get(site_a.get_absolute_url()).status_code == 200


def test_a_weak_password_is_refused_by_djangos_validators(client, invited):
    _invitation, link = invited
    response = client.post(
        link, {"full_name": "Nora Ny", "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email="ny@example.org").exists()


def test_a_password_like_the_address_is_refused(client, invited):
    _invitation, link = invited
    response = client.post(
        link,
        {"full_name": "Nora Ny", "password1": "ny@example.org", "password2": "ny@example.org"},
    )
    assert "password1" in response.context["form"].errors


def test_two_different_passwords_are_refused(client, invited):
    _invitation, link = invited
    response = client.post(
        link, {"full_name": "Nora Ny", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert "password2" in response.context["form"].errors


def test_an_invitation_link_works_only_once(client, invited):
    _invitation, link = invited
    data = {"full_name": "Nora Ny", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    client.post(link, data)
    client.logout()
    response = client.get(link)
    assert response.status_code == 200 and response.context["state"] == "accepted"
    response = client.post(link, data)
    assert response.context["state"] == "accepted"
    assert User.objects.filter(email="ny@example.org").count() == 1
    assert Membership.objects.filter(user__email="ny@example.org").count() == 1


def test_an_expired_link_says_so_and_changes_nothing(client, invited):
    invitation, link = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    data = {"full_name": "Nora Ny", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = client.post(link, data)
    assert response.status_code == 200 and response.context["state"] == "expired"
    assert not User.objects.filter(email="ny@example.org").exists()


def test_an_unknown_link_gets_a_clear_page_that_leaks_nothing(client, invited):
    response = client.get(reverse("accounts:invitation_accept", kwargs={"token": "made-up"}))
    assert response.status_code == 404
    html = response.content.decode()
    assert "ny@example.org" not in html and "Område A" not in html
    assert "accounts/invitations/accept_unknown.html" in [t.name for t in response.templates]


def test_a_person_with_an_account_signs_in_first_and_then_accepts(
    client, site_a, coordinator, django_capture_on_commit_callbacks
):
    person = UserFactory(email="known@example.org")
    MembershipFactory(user=person, role=Role.WORKING)  # a role at another site already
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(
            email="Known@example.org",
            invited_by=coordinator,
            site=site_a,
            role="steering",
            actor="health",
        )
    link = link_from_outbox("known@example.org")
    page = client.get(link)
    assert "accounts/invitations/accept_sign_in.html" in [t.name for t in page.templates]
    assert page.context["login_url"].endswith(f"?next={link}")
    # Nothing for a stranger to create here: no account form.
    assert (
        client.post(
            link, {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        ).status_code
        == 200
    )
    assert User.objects.filter(email__iexact="known@example.org").count() == 1

    login = client.post(
        page.context["login_url"], {"login": "known@example.org", "password": PASSWORD}
    )
    assert login.status_code == 302 and login.url == link
    confirm = client.get(link)
    assert "accounts/invitations/accept_confirm.html" in [t.name for t in confirm.templates]
    response = client.post(link)
    assert response.status_code == 302 and response.url == site_a.get_absolute_url()
    assert Membership.objects.get(user=person, site=site_a).role == Role.STEERING


def test_a_signed_in_person_cannot_accept_someone_elses_invitation(client_for, member_b, invited):
    invitation, link = invited
    client = client_for(member_b)
    page = client.get(link)
    assert "accounts/invitations/accept_wrong_person.html" in [t.name for t in page.templates]
    client.post(link)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user=member_b, site=invitation.site).exists()
    assert not EmailAddress.objects.filter(email="ny@example.org").exists()


def test_a_coordinator_invites_a_national_coordinator(client, client_for, coordinator, send):
    response = send(
        client_for(coordinator),
        reverse("accounts:coordinator_list"),
        {"email": "ny.koordinator@example.org", "full_name": "Nils Nationell"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.as_coordinator and invitation.site is None
    link = link_from_outbox("ny.koordinator@example.org")
    client.logout()
    client.post(
        link, {"full_name": "Nils Nationell", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert User.objects.get(email="ny.koordinator@example.org").is_coordinator


def test_an_existing_coordinator_is_not_invited_again(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("accounts:coordinator_list"), {"email": coordinator.email}
    )
    assert "email" in response.context["form"].errors


def test_a_lead_cannot_invite_coordinators(client_for, lead_a):
    response = client_for(lead_a).post(
        reverse("accounts:coordinator_list"), {"email": "x@example.org"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_confirmation_promises_the_days_the_invitation_page_promised(
    client_for, lead_a, site_a, send, settings
):
    """Finding: the invitation page said 14 days, its confirmation 13."""
    page = client_for(lead_a).get(invite_url(site_a)).content.decode()
    days = settings.INVITATION_VALID_DAYS
    assert f"i {days} dagar" in page or f"{days} dagar" in page
    response = send(
        client_for(lead_a),
        invite_url(site_a),
        {
            "email": "dagar@example.org",
            "full_name": "Dag Dagsson",
            "role": "working",
            "actor": "health",
            "title": "",
        },
    )
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any(f"Den gäller i {days} dagar." in m for m in shown), shown
