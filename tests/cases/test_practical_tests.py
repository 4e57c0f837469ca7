"""Planning a practical test and moving it through plan → do → study → act."""

import datetime

import pytest

from cases.models import (
    AccessAction,
    CaseAccess,
    Closure,
    Decision,
    PracticalTest,
    ReferralTo,
    Stage,
)
from pilots.models import Role
from tests.cases.factories import CaseEventFactory, CaseFactory, PracticalTestFactory
from tests.pilots.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def plan_data(site, **overrides):
    data = {
        "title": "Fem ärenden tillsammans",
        "starting_points": ["early", "seek_help"],
        "change_idea": "Vi tar nya ärenden tillsammans på skolan.",
        "aim": "Snabbare första insats.",
        "prediction": "Fyra av fem får en första insats inom sju dagar.",
        "measures": "",
        "who_what_when": "",
        "schools": [site.schools.first().pk],
        "people": [],
        "planned_cases": "5",
        "starts_on": "2018-09-10",
        "ends_on": "2018-11-30",
    }
    data.update(overrides)
    return data


def test_member_plans_a_test(client_for, member_a, site_a, urls):
    response = client_for(member_a).post(
        urls("test_create"), plan_data(site_a, people=[member_a.pk])
    )
    test = PracticalTest.objects.get()
    assert response.status_code == 302
    assert response.url == test.get_absolute_url()
    assert (test.site, test.stage, test.cycle) == (site_a, Stage.PLAN, 1)
    assert test.starting_points == ["early", "seek_help"]
    assert list(test.people.all()) == [member_a]
    assert test.created_by == member_a


def test_a_test_takes_five_cases_by_default(client_for, member_a, urls):
    form = client_for(member_a).get(urls("test_create")).context["form"]
    assert form.initial["planned_cases"] == 5
    assert PracticalTest._meta.get_field("planned_cases").default == 5


def test_a_test_needs_a_starting_point(client_for, member_a, site_a, urls):
    response = client_for(member_a).post(urls("test_create"), plan_data(site_a, starting_points=[]))
    assert "starting_points" in response.context["form"].errors


def test_pnr_in_the_plan_is_refused(client_for, member_a, site_a, urls):
    response = client_for(member_a).post(
        urls("test_create"), plan_data(site_a, who_what_when="Börja med 6408233234.")
    )
    assert "who_what_when" in response.context["form"].errors
    assert not PracticalTest.objects.exists()


def test_another_sites_school_and_people_are_refused(
    client_for, member_a, member_b, site_a, site_b, urls
):
    response = client_for(member_a).post(
        urls("test_create"),
        plan_data(site_a, schools=[site_b.schools.first().pk], people=[member_b.pk]),
    )
    form = response.context["form"]
    assert "schools" in form.errors and "people" in form.errors
    assert not PracticalTest.objects.exists()


def test_steering_members_are_not_offered_as_people(client_for, member_a, steering_a, urls):
    form = client_for(member_a).get(urls("test_create")).context["form"]
    assert member_a in form.fields["people"].queryset
    assert steering_a not in form.fields["people"].queryset


def test_the_cycle_moves_through_its_steps(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a)
    client = client_for(member_a)
    client.post(urls("test_step", pk=test.pk, step="plan"), {**plan_data(site_a), "advance": "1"})
    test.refresh_from_db()
    assert test.stage == Stage.DO
    client.post(
        urls("test_step", pk=test.pk, step="do"),
        {"what_happened": "Fem ärenden på sju veckor.", "deviations": "", "advance": "1"},
    )
    test.refresh_from_db()
    assert test.stage == Stage.STUDY
    client.post(
        urls("test_step", pk=test.pk, step="study"),
        {
            "study_results": "Fyra av fem inom sju dagar.",
            "learning": "Samtycke tidigt.",
            "advance": "1",
        },
    )
    test.refresh_from_db()
    assert test.stage == Stage.ACT
    client.post(
        urls("test_step", pk=test.pk, step="act"),
        {
            "decision": "adapt",
            "decision_reason": "Bra men samtycke tidigare.",
            "next_steps": "Fråga vid första samtalet.",
            "decided_on": "2018-11-30",
        },
    )
    test.refresh_from_db()
    assert test.stage == Stage.DONE
    assert test.decision == Decision.ADAPT


def test_saving_a_step_without_going_on_keeps_the_step(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a, stage=Stage.DO)
    client_for(member_a).post(
        urls("test_step", pk=test.pk, step="do"), {"what_happened": "Utkast."}
    )
    test.refresh_from_db()
    assert (test.stage, test.what_happened) == (Stage.DO, "Utkast.")


def test_saving_the_next_steps_form_moves_the_cycle_there(client_for, member_a, site_a, urls):
    # "Go on: do" on a planned test opens the do form; saving it means the cycle is at "do",
    # and the page offers to go on from there.
    test = PracticalTestFactory(site=site_a, stage=Stage.PLAN)
    client = client_for(member_a)
    page = client.get(urls("test_step", pk=test.pk, step="do"))
    assert 'name="advance"' in page.content.decode()
    client.post(urls("test_step", pk=test.pk, step="do"), {"what_happened": "Fem ärenden."})
    test.refresh_from_db()
    assert test.stage == Stage.DO


def test_saving_an_earlier_step_never_moves_the_cycle_back(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a, stage=Stage.STUDY)
    client = client_for(member_a)
    assert (
        'name="advance"'
        not in client.get(urls("test_step", pk=test.pk, step="do")).content.decode()
    )
    client.post(urls("test_step", pk=test.pk, step="do"), {"what_happened": "Rättat."})
    test.refresh_from_db()
    assert test.stage == Stage.STUDY


def test_the_decision_is_required_to_close_the_cycle(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a, stage=Stage.ACT)
    response = client_for(member_a).post(urls("test_step", pk=test.pk, step="act"), {})
    assert "decision" in response.context["form"].errors
    test.refresh_from_db()
    assert test.stage == Stage.ACT


def test_an_unknown_step_is_404(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a)
    assert client_for(member_a).get(urls("test_step", pk=test.pk, step="done")).status_code == 404


def test_a_new_cycle_follows_the_decision(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(
        site=site_a, stage=Stage.DONE, decision=Decision.ADAPT, next_steps="Samtycke tidigt."
    )
    test.schools.set([site_a.schools.first()])
    response = client_for(member_a).post(urls("test_next_cycle", pk=test.pk))
    new = PracticalTest.objects.exclude(pk=test.pk).get()
    assert response.url == urls("test_step", pk=new.pk, step="plan")
    assert (new.follows, new.cycle, new.stage) == (test, 2, Stage.PLAN)
    assert new.change_idea == "Samtycke tidigt."
    assert list(new.schools.all()) == list(test.schools.all())
    assert [t.pk for t in new.chain()] == [test.pk, new.pk]
    assert [t.pk for t in test.chain()] == [test.pk, new.pk]


def test_the_chain_of_cycles_is_read_in_two_queries_however_long(
    site_a, site_b, django_assert_num_queries
):
    """First to last, each cycle's next cycles in the order they were started, from any cycle
    of the chain; other chains and other sites' tests stay out."""
    first = PracticalTestFactory(site=site_a)
    second = PracticalTestFactory(site=site_a, follows=first, cycle=2)
    branch = PracticalTestFactory(site=site_a, follows=first, cycle=2)
    third = PracticalTestFactory(site=site_a, follows=second, cycle=3)
    fourth = PracticalTestFactory(site=site_a, follows=third, cycle=4)
    PracticalTestFactory(site=site_a)  # a chain of its own
    PracticalTestFactory(site=site_b)
    expected = [first.pk, second.pk, branch.pk, third.pk, fourth.pk]
    for test in (first, branch, fourth):
        test = PracticalTest.objects.select_related("site").get(pk=test.pk)
        with django_assert_num_queries(2):
            chain = test.chain()
            assert [c.site.slug for c in chain] == [site_a.slug] * 5
        assert [c.pk for c in chain] == expected


def test_no_new_cycle_before_the_decision(client_for, member_a, site_a, urls):
    test = PracticalTestFactory(site=site_a, stage=Stage.STUDY)
    client_for(member_a).post(urls("test_next_cycle", pk=test.pk))
    assert PracticalTest.objects.count() == 1


def make_results(site):
    test = PracticalTestFactory(site=site, planned_cases=5)
    start = datetime.date(2018, 9, 10)
    for i, (days, closure, raised_by) in enumerate(
        [
            (2, Closure.RESOLVED, "child"),
            (6, Closure.RESOLVED, "guardian"),
            (10, Closure.REFERRED, "child"),
            (None, "", "school_staff"),
        ]
    ):
        case = CaseFactory(
            site=site,
            practical_test=test,
            raised_by=raised_by,
            first_contact_on=start,
            first_intervention_on=start + datetime.timedelta(days=days)
            if days is not None
            else None,
            closed_on=start + datetime.timedelta(days=30) if closure else None,
            closure=closure,
            referred_to="camhs" if closure == Closure.REFERRED else "",
        )
        CaseEventFactory(case=case, actor="school", minutes=30)
        if i < 2:
            CaseEventFactory(case=case, actor="social", minutes=45)
            CaseEventFactory(case=case, actor="health", minutes=15)
    return test


def test_results_are_computed_from_the_cases(client_for, member_a, site_a, urls):
    test = make_results(site_a)
    summary = client_for(member_a).get(urls("test_detail", pk=test.pk)).context["summary"]
    assert summary.total == 4
    assert (summary.resolved, summary.referred, summary.open) == (2, 1, 1)
    assert summary.median_days == 6
    assert summary.self_referrals == 2
    assert summary.all_three == 2
    actors = {a["actor"]: a for a in summary.actors()}
    assert [a["cases"] for a in summary.actors()] == [4, 2, 2]
    assert sum(a["minutes"].data for a in actors.values()) == 4 * 30 + 2 * 45 + 2 * 15
    assert summary.referrals() == [(ReferralTo.CAMHS.label, 1)]


@pytest.mark.parametrize("who", ["coordinator", "steering_a"])
def test_those_who_follow_the_site_see_results_but_no_case(request, client_for, site_a, urls, who):
    test = make_results(site_a)
    client = client_for(request.getfixturevalue(who))
    for page in ("test_detail", "test_print"):
        response = client.get(urls(page, pk=test.pk))
        assert response.status_code == 200
        # All four of the site's cases are in the test: its count is hidden from them
        # (tests/cases/test_small_numbers.py says what each person sees).
        assert response.context["summary"].total.hidden
        assert "cases" not in response.context
        body = response.content.decode()
        assert site_a.case_code_prefix + "-2018" not in body
    assert not CaseAccess.objects.exists()


def test_members_see_the_tests_cases_and_it_is_recorded(client_for, member_a, site_a, urls):
    test = make_results(site_a)
    response = client_for(member_a).get(urls("test_detail", pk=test.pk))
    assert len(response.context["cases"]) == 4
    assert CaseAccess.objects.filter(action=AccessAction.LISTED).count() == 4


def test_the_printed_page_shows_no_case_even_to_members(client_for, member_a, site_a, urls):
    test = make_results(site_a)
    response = client_for(member_a).get(urls("test_print", pk=test.pk))
    assert "cases" not in response.context
    assert "AAA-2018" not in response.content.decode()
    assert "data-triad-print" in response.content.decode()  # the print button (static JS)


def test_the_printed_page_is_a_pdf_without_navigation_and_no_case(
    client_for, member_a, site_a, urls
):
    """Issue 15: the printable page as a PDF, drawn with the print styles: the test's title
    and its figures, no navigation, no print button, no case code."""
    from tests.dashboards.pdf_text import pdf_text

    test = make_results(site_a)
    response = client_for(member_a).get(urls("test_print_pdf", pk=test.pk))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert test.title in text and "Utskrivet från Triad" in text
    assert "AAA-2018" not in text
    assert "Skriv ut" not in text and "Logga ut" not in text  # buttons and navigation hidden


def test_the_list_filters_by_starting_point_and_step(client_for, member_a, site_a, urls):
    PracticalTestFactory(site=site_a, title="Tidigt", starting_points=["early"])
    PracticalTestFactory(site=site_a, title="Själv", starting_points=["seek_help"], stage=Stage.DO)
    client = client_for(member_a)
    titles = lambda r: [row.record.title for row in r.context["table"].rows]  # noqa: E731
    assert titles(client.get(urls("test_list") + "?starting_point=seek_help")) == ["Själv"]
    assert titles(client.get(urls("test_list") + "?stage=plan")) == ["Tidigt"]


def test_the_test_list_keeps_its_queries_as_tests_grow(
    client_for, member_a, site_a, urls, django_assert_max_num_queries
):
    client = client_for(member_a)
    make_results(site_a)
    with django_assert_max_num_queries(15) as small:
        client.get(urls("test_list"))
    for _ in range(15):
        make_results(site_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(urls("test_list"))
    assert response.status_code == 200


def test_a_working_member_of_the_site_is_offered_even_when_new(client_for, member_a, site_a, urls):
    newcomer = MembershipFactory(site=site_a, role=Role.WORKING).user
    form = client_for(member_a).get(urls("test_create")).context["form"]
    assert newcomer in form.fields["people"].queryset
