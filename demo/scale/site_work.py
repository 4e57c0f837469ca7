"""What each national-scale site works on besides cases: practical tests, steering meetings with
their decisions, and general interventions (PALS, YAM) with their sessions."""

import datetime

from cases.models import (
    Decision,
    Intervention,
    InterventionGroup,
    InterventionProgramme,
    InterventionSession,
    InterventionStatus,
    PracticalTest,
    Stage,
    StartingPoint,
)
from demo.scale.batches import bulk
from demo.scale.fiction import TEST_IDEAS
from pilots.models import Decision as SteeringDecision
from pilots.models import Role, SteeringMeeting


def add_practical_tests(site_rows, people, start, today, rng, result, *, per_site=None):
    """One to three tests per site, or `per_site` each, started over the period's first half
    (with `per_site`: over the whole period, each of the ideas tried again and again)."""
    tests, links = [], []
    span = (today - start).days
    for site in site_rows:
        lead = people[site.pk][0].user
        for t in range(per_site or rng.randint(1, 3)):
            title, idea = TEST_IDEAS[t % len(TEST_IDEAS)]
            if per_site:
                title = f"{title} ({t // len(TEST_IDEAS) + 1})"
            late = max(span - 70, 1) if per_site else max(span // 2, 1)
            starts_on = start + datetime.timedelta(days=rng.randrange(0, late))
            stage = rng.choice([Stage.PLAN, Stage.DO, Stage.DO, Stage.STUDY, Stage.DONE])
            done = stage == Stage.DONE
            tests.append(
                PracticalTest(
                    site=site,
                    title=title,
                    starting_points=[StartingPoint.EARLY, StartingPoint.SEEK_HELP][: 1 + t % 2],
                    change_idea=idea,
                    aim="Fler barn får stöd tidigt, på skolan, utan att behöva remitteras.",
                    prediction="Första insatsen ges inom sju dagar i fyra av fem ärenden.",
                    planned_cases=rng.choice([5, 5, 10]),
                    starts_on=starts_on,
                    ends_on=starts_on + datetime.timedelta(weeks=8),
                    stage=stage,
                    decision=rng.choice(Decision.values) if done else "",
                    decided_on=starts_on + datetime.timedelta(weeks=9) if done else None,
                    created_by=lead,
                )
            )
    tests = bulk(PracticalTest, tests)
    by_site: dict[int, list] = {}
    for test in tests:
        by_site.setdefault(test.site_id, []).append(test)
    schools = {site.pk: site.school_list for site in site_rows}
    for test in tests:
        for school in schools[test.site_id][:2]:
            links.append(PracticalTest.schools.through(practicaltest=test, school=school))
    bulk(PracticalTest.schools.through, links)
    result.tests = len(tests)
    return by_site


def add_governance(site_rows, people, start, today, rng, *, meetings_per_site=None):
    meetings = []
    for site in site_rows:
        lead = people[site.pk][0].user
        for m in range(meetings_per_site or rng.randint(2, 5)):
            held_on = start + datetime.timedelta(weeks=4 + 8 * m)
            if held_on <= today:
                meetings.append(SteeringMeeting(site=site, held_on=held_on, created_by=lead))
    meetings = bulk(SteeringMeeting, meetings)
    bulk(
        SteeringDecision,
        [
            SteeringDecision(meeting=m, text="Arbetsgruppen fortsätter med nästa praktiska test.")
            for m in meetings
        ],
    )
    steering = {
        site.pk: [m for m in people[site.pk] if m.role == Role.STEERING] for site in site_rows
    }
    bulk(
        SteeringMeeting.attendees.through,
        [
            SteeringMeeting.attendees.through(steeringmeeting=m, membership=member)
            for m in meetings
            for member in steering[m.site_id]
        ],
    )


def add_interventions(site_rows, start, today, rng):
    programmes = [
        InterventionProgramme.objects.get_or_create(short_name=short, defaults={"name": name})[0]
        for short, name in (
            ("PALS", "Positive Behavior Interventions and Support (PALS)"),
            ("YAM", "Youth Aware of Mental Health (YAM)"),
        )
    ]
    rows = [
        Intervention(
            site=site,
            programme=programmes[i % 2],
            school=site.school_list[0],
            status=rng.choice([InterventionStatus.RUNNING, InterventionStatus.COMPLETED]),
            groups_description="Alla klasser i årskurs 8",
            starting_points=[StartingPoint.PROMOTIVE],
            starts_on=start + datetime.timedelta(weeks=2),
        )
        for i, site in enumerate(site_rows)
        if i % 2 == 0
    ]
    rows = bulk(Intervention, rows)
    # Two to eight classes each; every class has its three sessions.
    groups = bulk(
        InterventionGroup,
        [
            InterventionGroup(intervention=intervention, name=f"8{chr(65 + g)}", size=size)
            for intervention in rows
            for g, size in enumerate(rng.randint(18, 30) for _g in range(rng.randint(2, 8)))
        ],
    )
    sessions = bulk(
        InterventionSession,
        [
            InterventionSession(
                intervention=group.intervention,
                held_on=min(start + datetime.timedelta(weeks=3 + s), today),
                instructors="Två certifierade instruktörer",
                attendance=group.size - rng.randint(0, 3),
            )
            for group in groups
            for s in range(3)
        ],
    )
    took_part = InterventionSession.groups.through
    bulk(
        took_part,
        [
            took_part(interventionsession=session, interventiongroup=group)
            for session, group in zip(sessions, (g for g in groups for _s in range(3)), strict=True)
        ],
    )
