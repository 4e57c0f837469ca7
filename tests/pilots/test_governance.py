"""Steering-group meetings and decisions, working-group actions, and the link between them."""

import datetime

from django.urls import reverse
from django.utils import timezone

from pilots.models import Action, ActionStatus, Decision, Role, SteeringMeeting
from tests.pilots.factories import (
    ActionFactory,
    DecisionFactory,
    MembershipFactory,
    SteeringMeetingFactory,
)

TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


# --- Meetings -------------------------------------------------------------------------------


def test_steering_member_records_a_meeting_with_who_was_there(client_for, site_a, steering_a):
    membership = steering_a.memberships.get()
    response = client_for(steering_a).post(
        reverse("pilots:meeting_create", args=[site_a.slug]),
        {"held_on": days_ago(1).isoformat(), "attendees": [membership.pk], "notes": "Protokoll"},
    )
    meeting = SteeringMeeting.objects.get(site=site_a)
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert list(meeting.attendees.all()) == [membership]
    assert meeting.created_by == steering_a


def test_meeting_needs_a_date(client_for, site_a, lead_a):
    response = client_for(lead_a).post(
        reverse("pilots:meeting_create", args=[site_a.slug]), {"notes": "x"}
    )
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    assert not SteeringMeeting.objects.exists()


def test_only_the_sites_steering_group_and_lead_can_be_present(
    client_for, site_a, site_b, lead_a, member_a, member_b
):
    client = client_for(lead_a)
    url = reverse("pilots:meeting_create", args=[site_a.slug])
    form = client.get(url).context["form"]
    offered = set(form.fields["attendees"].queryset)
    assert lead_a.memberships.get() in offered
    assert member_a.memberships.get() not in offered  # working group
    foreign = MembershipFactory(site=site_b, role=Role.STEERING)
    response = client.post(url, {"held_on": days_ago(1).isoformat(), "attendees": [foreign.pk]})
    assert response.status_code == 200
    assert "attendees" in response.context["form"].errors
    assert not SteeringMeeting.objects.exists()


def test_someone_not_in_the_group_on_the_day_cannot_have_been_present(client_for, site_a, lead_a):
    joined_later = MembershipFactory(site=site_a, role=Role.STEERING, starts_on=days_ago(5))
    response = client_for(lead_a).post(
        reverse("pilots:meeting_create", args=[site_a.slug]),
        {"held_on": days_ago(20).isoformat(), "attendees": [joined_later.pk]},
    )
    assert response.status_code == 200
    assert "attendees" in response.context["form"].errors


def test_working_group_member_cannot_record_a_meeting(client_for, site_a, member_a):
    response = client_for(member_a).post(
        reverse("pilots:meeting_create", args=[site_a.slug]), {"held_on": "2018-03-01"}
    )
    assert response.status_code == 403
    assert not SteeringMeeting.objects.exists()


def test_another_sites_meeting_is_404_through_own_site(client_for, site_a, site_b, lead_a):
    foreign = SteeringMeetingFactory(site=site_b)
    client = client_for(lead_a)
    for name in ("pilots:meeting_detail", "pilots:meeting_update", "pilots:decision_create"):
        assert client.get(reverse(name, args=[site_a.slug, foreign.pk])).status_code == 404
    response = client.post(
        reverse("pilots:decision_create", args=[site_a.slug, foreign.pk]), {"text": "Kapat"}
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()


# --- Decisions ----------------------------------------------------------------------------


def test_decision_is_added_to_the_meeting(client_for, site_a, steering_a):
    meeting = SteeringMeetingFactory(site=site_a)
    response = client_for(steering_a).post(
        reverse("pilots:decision_create", args=[site_a.slug, meeting.pk]),
        {"text": "Arbetsgruppen prövar gemensam mottagning på Skola A."},
    )
    decision = meeting.decisions.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#decision-{decision.pk}")


def test_empty_decision_re_renders_with_an_error(client_for, site_a, lead_a):
    meeting = SteeringMeetingFactory(site=site_a)
    response = client_for(lead_a).post(
        reverse("pilots:decision_create", args=[site_a.slug, meeting.pk]), {"text": ""}
    )
    assert response.status_code == 200
    assert "text" in response.context["form"].errors


def test_decision_of_another_site_cannot_be_edited(client_for, site_a, site_b, lead_a):
    foreign = DecisionFactory(meeting=SteeringMeetingFactory(site=site_b))
    url = reverse("pilots:decision_update", args=[site_a.slug, foreign.pk])
    assert client_for(lead_a).post(url, {"text": "Ändrat"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.text != "Ändrat"


# --- Actions --------------------------------------------------------------------------------


def test_lead_creates_an_action_from_a_decision(client_for, site_a, lead_a, member_a):
    decision = DecisionFactory(meeting=SteeringMeetingFactory(site=site_a))
    url = reverse("pilots:action_create", args=[site_a.slug]) + f"?decision={decision.pk}"
    client = client_for(lead_a)
    assert client.get(url).context["form"]["decision"].value() == decision.pk
    responsible = member_a.memberships.get()
    response = client.post(
        url,
        {
            "title": "Boka gemensam mottagning",
            "decision": decision.pk,
            "responsible": responsible.pk,
            "due_on": (TODAY() + datetime.timedelta(days=14)).isoformat(),
            "status": ActionStatus.OPEN,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.site == site_a and action.decision == decision
    assert action.responsible == responsible


def test_the_link_is_visible_from_both_levels(client_for, site_a, steering_a, member_a):
    meeting = SteeringMeetingFactory(site=site_a)
    decision = DecisionFactory(meeting=meeting, text="Gemensam mottagning varje tisdag.")
    action = ActionFactory(site=site_a, decision=decision, title="Boka lokal")
    meeting_page = client_for(steering_a).get(meeting.get_absolute_url()).content.decode()
    assert "Boka lokal" in meeting_page
    assert reverse("pilots:action_detail", args=[site_a.slug, action.pk]) in meeting_page
    action_page = (
        client_for(member_a)
        .get(reverse("pilots:action_detail", args=[site_a.slug, action.pk]))
        .content.decode()
    )
    assert "Gemensam mottagning varje tisdag." in action_page
    assert reverse("pilots:meeting_detail", args=[site_a.slug, meeting.pk]) in action_page


def test_another_sites_decision_in_the_address_is_ignored(client_for, site_a, site_b, lead_a):
    foreign = DecisionFactory(meeting=SteeringMeetingFactory(site=site_b), text="Hemligt beslut")
    url = reverse("pilots:action_create", args=[site_a.slug]) + f"?decision={foreign.pk}"
    response = client_for(lead_a).get(url)
    assert response.status_code == 200
    assert response.context["form"]["decision"].value() is None
    assert "Hemligt beslut" not in response.content.decode()


def test_another_sites_decision_and_member_cannot_be_chosen(
    client_for, site_a, site_b, lead_a, member_b
):
    foreign = DecisionFactory(meeting=SteeringMeetingFactory(site=site_b))
    response = client_for(lead_a).post(
        reverse("pilots:action_create", args=[site_a.slug]),
        {
            "title": "Smyg",
            "decision": foreign.pk,
            "responsible": member_b.memberships.get().pk,
            "status": ActionStatus.OPEN,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "decision" in errors and "responsible" in errors
    assert not Action.objects.exists()


def test_action_needs_a_title(client_for, site_a, lead_a):
    response = client_for(lead_a).post(
        reverse("pilots:action_create", args=[site_a.slug]), {"status": ActionStatus.OPEN}
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors


def test_a_responsible_person_who_left_stays_on_the_action(client_for, site_a, lead_a):
    gone = MembershipFactory(
        site=site_a, role=Role.WORKING, starts_on=days_ago(60), ends_on=days_ago(2), end_reason="x"
    )
    action = ActionFactory(site=site_a, responsible=gone)
    response = client_for(lead_a).post(
        reverse("pilots:action_update", args=[site_a.slug, action.pk]),
        {"title": "Nytt namn", "responsible": gone.pk, "status": ActionStatus.IN_PROGRESS},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.responsible == gone and action.title == "Nytt namn"


def test_working_group_member_updates_the_status(client_for, site_a, member_a):
    action = ActionFactory(site=site_a)
    url = reverse("pilots:action_status", args=[site_a.slug, action.pk])
    list_url = reverse("pilots:action_list", args=[site_a.slug])
    response = client_for(member_a).post(url, {"status": ActionStatus.DONE, "next": list_url})
    assert response.status_code == 302 and response.url == list_url
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_status_update_does_not_follow_an_outside_address(client_for, site_a, member_a):
    action = ActionFactory(site=site_a)
    response = client_for(member_a).post(
        reverse("pilots:action_status", args=[site_a.slug, action.pk]),
        {"status": ActionStatus.DONE, "next": "https://evil.example.com/"},
    )
    assert response.url == reverse("pilots:action_detail", args=[site_a.slug, action.pk])


def test_working_group_member_cannot_edit_the_action_itself(client_for, site_a, member_a):
    action = ActionFactory(site=site_a, title="Original")
    response = client_for(member_a).post(
        reverse("pilots:action_update", args=[site_a.slug, action.pk]),
        {"title": "Ändrad", "status": ActionStatus.DONE},
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.title == "Original"


def test_steering_member_cannot_set_an_actions_status(client_for, site_a, steering_a):
    action = ActionFactory(site=site_a)
    response = client_for(steering_a).post(
        reverse("pilots:action_status", args=[site_a.slug, action.pk]),
        {"status": ActionStatus.DONE},
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_invalid_status_re_renders(client_for, site_a, member_a):
    action = ActionFactory(site=site_a)
    response = client_for(member_a).post(
        reverse("pilots:action_status", args=[site_a.slug, action.pk]), {"status": "burnt"}
    )
    assert response.status_code == 200
    assert "status" in response.context["form"].errors


def test_another_sites_action_is_404_through_own_site(client_for, site_a, site_b, lead_a):
    foreign = ActionFactory(site=site_b)
    client = client_for(lead_a)
    for name in ("pilots:action_detail", "pilots:action_update", "pilots:action_status"):
        assert client.get(reverse(name, args=[site_a.slug, foreign.pk])).status_code == 404
    response = client.post(
        reverse("pilots:action_status", args=[site_a.slug, foreign.pk]),
        {"status": ActionStatus.DONE},
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == ActionStatus.OPEN


def test_action_list_shows_only_overdue_when_asked(client_for, site_a, member_a):
    late = ActionFactory(site=site_a, title="Sen", due_on=days_ago(3))
    ActionFactory(site=site_a, title="I tid", due_on=TODAY() + datetime.timedelta(days=3))
    ActionFactory(site=site_a, title="Klar", due_on=days_ago(3), status=ActionStatus.DONE)
    response = client_for(member_a).get(
        reverse("pilots:action_list", args=[site_a.slug]), {"overdue": "true"}
    )
    assert [r.record for r in response.context["table"].rows] == [late]
    assert response.context["counts"] == {"total": 3, "open": 2, "overdue": 1}


def test_action_list_filters_by_status(client_for, site_a, member_a):
    ActionFactory(site=site_a, title="Öppen")
    done = ActionFactory(site=site_a, title="Klar", status=ActionStatus.DONE)
    response = client_for(member_a).get(
        reverse("pilots:action_list", args=[site_a.slug]), {"status": ActionStatus.DONE}
    )
    assert [r.record for r in response.context["table"].rows] == [done]


def test_action_list_never_shows_another_sites_actions(client_for, site_a, site_b, lead_a):
    ActionFactory(site=site_b, title="Annans åtgärd")
    response = client_for(lead_a).get(reverse("pilots:action_list", args=[site_a.slug]))
    assert "Annans åtgärd" not in response.content.decode()


def test_action_list_queries_stay_bounded(
    client_for, site_a, lead_a, member_a, django_assert_max_num_queries
):
    meeting = SteeringMeetingFactory(site=site_a)
    for i in range(30):
        ActionFactory(
            site=site_a,
            decision=DecisionFactory(meeting=meeting),
            responsible=member_a.memberships.get(),
            due_on=days_ago(i - 10),
        )
    client = client_for(lead_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("pilots:action_list", args=[site_a.slug])).status_code == 200


def test_meeting_list_queries_stay_bounded(
    client_for, site_a, lead_a, django_assert_max_num_queries
):
    for i in range(15):
        meeting = SteeringMeetingFactory(site=site_a, held_on=days_ago(i * 30))
        for _ in range(3):
            ActionFactory(site=site_a, decision=DecisionFactory(meeting=meeting))
    client = client_for(lead_a)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("pilots:meeting_list", args=[site_a.slug])).status_code == 200


def test_meeting_page_queries_stay_bounded(
    client_for, site_a, lead_a, django_assert_max_num_queries
):
    meeting = SteeringMeetingFactory(site=site_a)
    for _ in range(10):
        MembershipFactory(site=site_a, role=Role.STEERING, starts_on=days_ago(400))
    meeting.attendees.set(site_a.memberships.filter(role=Role.STEERING))
    for _ in range(10):
        ActionFactory(site=site_a, decision=DecisionFactory(meeting=meeting))
    client = client_for(lead_a)
    with django_assert_max_num_queries(14):
        assert client.get(meeting.get_absolute_url()).status_code == 200
