"""The services behind invitations and registrations, where a view would not show a flaw."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts import services as invitations
from accounts.models import Invitation
from pilots import services
from pilots.models import PilotSite, RegistrationStatus, Role
from tests.pilots.factories import (
    InterestRegistrationFactory,
    InvitationFactory,
    PilotSiteFactory,
    UserFactory,
)


def test_inviting_again_withdraws_the_earlier_unanswered_invitation(coordinator, site_a):
    first = invitations.invite(
        email="a@example.org", invited_by=coordinator, site=site_a, role="lead"
    )
    second = invitations.invite(
        email="A@example.org", invited_by=coordinator, site=site_a, role="lead"
    )
    first.refresh_from_db()
    assert first.revoked_at is not None and second.is_usable


def test_inviting_to_another_role_leaves_the_first_invitation(coordinator, site_a):
    first = invitations.invite(
        email="a@example.org", invited_by=coordinator, site=site_a, role="lead"
    )
    invitations.invite(
        email="a@example.org", invited_by=coordinator, site=site_a, role="steering", actor="social"
    )
    first.refresh_from_db()
    assert first.is_usable


def test_accepting_for_the_wrong_person_is_refused(site_a, member_b):
    invitation = InvitationFactory(site=site_a, email="someone@example.org")
    with pytest.raises(invitations.WrongPerson):
        invitations.accept_invitation(invitation, member_b)
    assert not EmailAddress.objects.filter(email="someone@example.org").exists()


def test_accepting_a_used_invitation_is_refused(site_a):
    person = UserFactory(email="p@example.org")
    invitation = InvitationFactory(site=site_a, email="p@example.org")
    invitations.accept_invitation(invitation, person)
    with pytest.raises(invitations.InvitationError):
        invitations.accept_invitation(invitation, person)


def test_accepting_keeps_a_single_primary_address(site_a):
    person = UserFactory(email="p@example.org")
    invitation = InvitationFactory(site=site_a, email="P@example.org")
    invitations.accept_invitation(invitation, person)
    assert EmailAddress.objects.filter(user=person, primary=True).count() == 1


def test_accepting_a_role_already_held_adds_no_second_membership(site_a, member_a):
    invitation = InvitationFactory(site=site_a, email=member_a.email, role=Role.WORKING)
    invitations.accept_invitation(invitation, member_a)
    assert member_a.memberships.filter(site=site_a, role=Role.WORKING).count() == 1


def test_an_accepted_invitation_cannot_be_resent(site_a, coordinator):
    person = UserFactory(email="p@example.org")
    invitation = InvitationFactory(site=site_a, email="p@example.org")
    invitations.accept_invitation(invitation, person)
    with pytest.raises(invitations.InvitationError):
        invitations.resend_invitation(invitation, by=coordinator)


def test_withdrawing_twice_reports_nothing_to_withdraw(site_a, coordinator):
    invitation = InvitationFactory(site=site_a)
    assert invitations.withdraw_invitation(invitation, by=coordinator)
    assert not invitations.withdraw_invitation(invitation, by=coordinator)


def test_invitation_states_match_their_querysets(site_a):
    from django.utils import timezone

    past = timezone.now() - timezone.timedelta(days=1)
    made = {
        "pending": InvitationFactory(site=site_a),
        "accepted": InvitationFactory(site=site_a, accepted_at=past),
        "withdrawn": InvitationFactory(site=site_a, revoked_at=past),
        "expired": InvitationFactory(site=site_a, expires_at=past),
    }
    for state, invitation in made.items():
        assert invitations.invitation_state(invitation) == state
        found = invitations.invitations_in_state(Invitation.objects.all(), state)
        assert list(found) == [invitation]


def test_suggested_prefix_and_address_are_free(db):
    assert services.suggest_case_code_prefix("Malmö") == "MAL"
    assert services.suggest_slug("Malmö") == "malmo"
    PilotSiteFactory(slug="malmo", case_code_prefix="MAL")
    assert services.suggest_case_code_prefix("Malmö") == "MAL2"
    assert services.suggest_slug("Malmö") == "malmo-2"


def test_a_name_without_letters_still_gets_a_prefix(db):
    assert services.suggest_case_code_prefix("1 2 3") == "SITE"


def test_accepting_twice_returns_the_same_site(coordinator):
    registration = InterestRegistrationFactory(municipality_name="Demostad")
    first = services.accept_registration(registration, by=coordinator)
    again = services.accept_registration(registration, by=coordinator)
    assert first == again and PilotSite.objects.count() == 1
    assert Invitation.objects.filter(site=first).count() == 1


def test_an_accepted_registration_cannot_change_status(coordinator):
    registration = InterestRegistrationFactory()
    services.accept_registration(registration, by=coordinator)
    with pytest.raises(ValueError):
        services.set_registration_status(registration, RegistrationStatus.DECLINED, by=coordinator)


def test_a_declined_registration_is_not_accepted(coordinator):
    registration = InterestRegistrationFactory(status=RegistrationStatus.DECLINED)
    with pytest.raises(ValueError):
        services.accept_registration(registration, by=coordinator)
    assert not PilotSite.objects.exists()


def test_confirmation_is_sent_in_the_language_the_applicant_used(
    db, django_capture_on_commit_callbacks
):
    registration = InterestRegistrationFactory.build(municipality_name="Demostad")
    with django_capture_on_commit_callbacks(execute=True):
        services.register_interest(registration, language="en")
    assert mail.outbox[0].subject == (
        "[Triad] We have received the interest registration from Demostad"
    )


def test_invitation_email_is_in_the_known_persons_language(
    site_a, coordinator, django_capture_on_commit_callbacks
):
    UserFactory(email="en@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(email="en@example.org", invited_by=coordinator, site=site_a, role="lead")
    assert "sign in" in mail.outbox[0].body


def test_the_html_part_escapes_what_people_wrote(
    site_a, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(
            email="q@example.org",
            full_name="<b>Q</b> & A",
            invited_by=coordinator,
            site=site_a,
            role="lead",
        )
    message = mail.outbox[0]
    assert "<b>Q</b> & A" in message.body
    html = message.alternatives[0][0]
    assert "&lt;b&gt;Q&lt;/b&gt; &amp; A" in html and "<b>Q</b>" not in html
    assert '<a href="http://' in html
