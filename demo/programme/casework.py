"""Demo data for practical tests, cases, vignettes and general interventions, as in autumn 2018:
five sites ran practical tests, the other five prepared or ran general interventions (PALS, YAM)
and discussed a vignette, and all ten logged the cases their triad took at the schools. The
cases are generated week by week from each site's rhythm (demo.programme.caseload); the tests,
interventions and vignette come from demo.programme.case_stories. What a test's steps say
happened and what its study found is written from its own cases (demo.programme.findings).

Everything is fictional and says so. `seed` is idempotent: a test is found by its site, title
and cycle, a vignette by its title, an intervention by its site, programme and school, and a
site's cases are made only while it has none. It needs the demo sites of demo.programme.sites;
a site that is not there is skipped."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import (
    Case,
    CaseChange,
    CaseConsent,
    CaseEvent,
    ChangeKind,
    ConsentGivenBy,
    ConsentStatus,
    Fidelity,
    FidelityCheck,
    Intervention,
    InterventionGroup,
    InterventionProgramme,
    InterventionSession,
    PracticalTest,
    StaffRole,
    Stage,
    StartingPoint,
    Vignette,
    VignetteResponse,
    VignetteStage,
)
from demo.programme.case_stories import (
    INTERVENTIONS,
    RHYTHMS,
    TESTS,
    VIGNETTE,
    VIGNETTE_ANSWERS,
)
from demo.programme.caseload import TERM_ENDS, term_cases
from demo.programme.findings import write_findings
from demo.programme.story_dates import at, stamp
from pilots.models import Membership, PilotSite, Role, User

TESTING_SITES = list(TESTS)
INTERVENTION_SITES = list(INTERVENTIONS)
DEMO = "(demo)"

# The first tests were planned before workshop 3's deliverable, their plan, fell due.
FIRST_PLANS_WRITTEN = datetime.date(2018, 8, 22)
# The vignette was discussed at workshop 2 (14 May 2018); the sites wrote their answers before.
VIGNETTE_WRITTEN = datetime.date(2018, 5, 2)
FIDELITY_CHECKED = datetime.date(2018, 11, 21)
INTERVENTIONS_PLANNED = datetime.date(2018, 9, 10)


def _lead(site, on=None):
    """The site's project lead on a day (today by default)."""
    m = (
        Membership.objects.filter(site=site, role=Role.LEAD)
        .held_on(on or timezone.localdate())
        .select_related("user")
        .first()
    )
    if m is None:  # a site built without the demo's dates (tests): its lead, whenever
        m = Membership.objects.filter(site=site, role=Role.LEAD).select_related("user").first()
    return m.user if m else None


def _member(site):
    return User.objects.filter(email__iexact=f"member@{site.slug}.example.org").first()


def seed(stdout) -> None:
    slugs = list(RHYTHMS)
    sites = {s.slug: s for s in PilotSite.objects.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in sites]
    if missing:
        stdout.write(f"cases: no demo site {', '.join(missing)}; skipped.\n")
    for slug in slugs:
        if slug in sites:
            _seed_site(sites[slug], stdout)
    vignette = _seed_vignette()
    for slug in INTERVENTION_SITES:
        if slug in sites:
            _seed_intervention(sites[slug], INTERVENTIONS[slug], stdout)
            _seed_answers(sites[slug], vignette)
    stdout.write("cases: demo tests, cases, vignette and interventions are in place.\n")


@transaction.atomic
def _seed_site(site, stdout):
    schools = list(site.schools.order_by("name"))
    if not schools:
        stdout.write(f"cases: {site.slug} has no schools; skipped.\n")
        return
    tests = _seed_tests(site, schools)
    if not Case.objects.filter(site=site).exists():
        made = _seed_cases(site, schools, tests)
        write_findings(site, tests)
        stdout.write(f"cases: {site.slug} has {len(tests)} practical tests and {made} cases.\n")


def _planned_on(plans, i):
    """When test i was planned: the first before workshop 3, the next after the decision on the
    one before it, or a week before it starts."""
    if i == 0:
        return FIRST_PLANS_WRITTEN
    before = plans[i - 1]
    if before.decided_on:
        return before.decided_on + datetime.timedelta(days=1)
    return plans[i].starts_on - datetime.timedelta(days=7)


def _last_changed_on(plan, planned_on):
    if plan.decided_on:
        return plan.decided_on
    if plan.stage in (Stage.STUDY, Stage.ACT):
        return plan.ends_on + datetime.timedelta(days=3)
    if plan.stage == Stage.DO:
        return plan.starts_on
    return planned_on


def _seed_tests(site, schools):
    """The site's practical tests from its plans (none for a site without any)."""
    plans, tests, previous = TESTS.get(site.slug, []), [], None
    member = _member(site)
    for i, plan in enumerate(plans):
        lead = _lead(site, on=plan.starts_on)
        measure, comparator, value = plan.predicted or ("", "", None)
        test, created = PracticalTest.objects.get_or_create(
            site=site,
            title=f"{plan.title} {DEMO}",
            cycle=plan.cycle,
            defaults={
                "follows": previous if plan.cycle > 1 else None,
                "starting_points": list(plan.starting_points),
                "change_idea": plan.change_idea,
                "aim": plan.aim,
                "prediction": plan.prediction,
                "predicted_measure": measure,
                "predicted_comparator": comparator,
                "predicted_value": value,
                "measures": plan.measures,
                "who_what_when": plan.who_what_when,
                "planned_cases": plan.planned_cases,
                "starts_on": plan.starts_on,
                "ends_on": plan.ends_on,
                "stage": plan.stage,
                "deviations": plan.deviations,
                "learning": plan.learning,
                "decision": plan.decision,
                "decision_reason": plan.decision_reason,
                "next_steps": plan.next_steps,
                "decided_on": plan.decided_on,
                "created_by": lead,
            },
        )
        if created:
            test.schools.set(schools)
            test.people.set([u for u in (lead, member) if u])
            planned_on = _planned_on(plans, i)
            stamp([test], at(planned_on, 13), at(_last_changed_on(plan, planned_on), 15))
        tests.append(test)
        previous = test
    return tests


def _test_of(tests, day):
    """The running test whose period holds `day`, if any (a test still in its plan has none)."""
    for test in tests:
        ends = test.ends_on or TERM_ENDS
        if test.stage != Stage.PLAN and test.starts_on <= day <= ends:
            return test
    return None


def _seed_cases(site, schools, tests):
    """The site's term of cases, written in a few bulk inserts, then dated as the story has it."""
    by = _member(site) or _lead(site)
    stories = term_cases(RHYTHMS[site.slug], len(schools))
    cases = Case.objects.bulk_create(
        Case(
            site=site,
            practical_test=_test_of(tests, story.first_contact_on),
            year=2018,
            number=number,
            code=f"{site.case_code_prefix}-2018-{number:03d}",
            school=schools[story.school],
            school_year=story.school_year,
            raised_by=story.raised_by,
            concerns=story.concerns,
            first_contact_on=story.first_contact_on,
            first_intervention_on=story.first_intervention_on,
            sip_started=story.sip_started_on is not None,
            sip_started_on=story.sip_started_on,
            closed_on=story.closed_on,
            closure=story.closure,
            referred_to=story.referred_to,
            referral_reason="Behovet krävde en specialiserad bedömning."
            if story.referred_to
            else "",
            outcome=story.outcome,
            reflections="Fiktivt demoärende.",
            created_by=by,
        )
        for number, story in enumerate(stories, start=1)
    )
    events = CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            occurred_on=day,
            actor=actor,
            kind=kind,
            level=level,
            minutes=minutes,
            created_by=by,
        )
        for case, story in zip(cases, stories, strict=True)
        for day, actor, kind, level, minutes in story.events
    )
    CaseConsent.objects.bulk_create(
        _consent(case, actor, status)
        for case, story in zip(cases, stories, strict=True)
        for actor, status in sorted(story.consents.items())
    )
    CaseChange.objects.bulk_create(
        change
        for case, story in zip(cases, stories, strict=True)
        for change in _history(case, story, by)
    )
    # Logged in the afternoon of the first contact, last changed with the latest entry.
    last = {case.pk: story.last_entry_on for case, story in zip(cases, stories, strict=True)}
    stamp(cases, lambda c: at(c.first_contact_on, 14), lambda c: at(last[c.pk], 16))
    stamp(events, lambda e: at(e.occurred_on, 16))
    return len(cases)


def _consent(case, actor, status):
    answered = status in (ConsentStatus.GIVEN, ConsentStatus.DECLINED)
    return CaseConsent(
        case=case,
        actor=actor,
        status=status,
        given_by=(ConsentGivenBy.BOTH if case.school_year >= 7 else ConsentGivenBy.GUARDIAN)
        if answered
        else "",
        recorded_on=case.first_contact_on if answered else None,
        asked_by_role=StaffRole.COUNSELLOR if answered else "",
    )


def _history(case, story, by):
    yield CaseChange(
        case=case,
        changed_by=by,
        what=ChangeKind.CREATED,
        changes=[],
        changed_at=at(case.first_contact_on, 14),
    )
    if story.closed_on:
        yield CaseChange(
            case=case,
            changed_by=by,
            what=ChangeKind.CLOSED,
            changes=[
                {"field": "closed_on", "old": None, "new": story.closed_on.isoformat()},
                {"field": "closure", "old": "", "new": story.closure},
            ],
            changed_at=at(story.closed_on, 16),
        )


def _seed_vignette():
    vignette, created = Vignette.objects.get_or_create(
        site=None,
        title=VIGNETTE["title"],
        defaults={"introduction": VIGNETTE["introduction"]},
    )
    if created:
        stamp([vignette], at(VIGNETTE_WRITTEN - datetime.timedelta(days=14), 11))
        VignetteStage.objects.bulk_create(
            VignetteStage(vignette=vignette, position=i, title=title, text=text)
            for i, (title, text) in enumerate(VIGNETTE["stages"], start=1)
        )
    return vignette


def _seed_answers(site, vignette):
    by = _member(site) or _lead(site)
    written = []
    for stage in vignette.stages.all():
        for actor, answers in VIGNETTE_ANSWERS.items():
            response, created = VignetteResponse.objects.get_or_create(
                site=site,
                stage=stage,
                actor=actor,
                defaults={"text": answers[stage.position - 1], "updated_by": by},
            )
            if created:
                written.append(response)
    stamp(written, at(VIGNETTE_WRITTEN, 15))


# The starting points each general intervention serves.
STARTING_POINTS = {
    "YAM": [StartingPoint.PROMOTIVE, StartingPoint.SEEK_HELP],
    "PALS": [StartingPoint.PROMOTIVE],
}


@transaction.atomic
def _seed_intervention(site, spec, stdout):
    short_name, status, groups, description, starts_on, ends_on, sessions = spec
    school = site.schools.order_by("name").first()
    programme = InterventionProgramme.objects.filter(short_name=short_name).first()
    if school is None or programme is None:
        stdout.write(f"cases: {site.slug} has no school or {short_name} is missing; skipped.\n")
        return
    serves = [str(p) for p in STARTING_POINTS.get(short_name, [])]
    intervention, created = Intervention.objects.get_or_create(
        site=site,
        programme=programme,
        school=school,
        defaults={
            "status": status,
            "starting_points": serves,
            "groups_description": description,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "notes": f"Demodata, fiktivt. {programme.name} vid {school.name}, hösten 2018.",
            "created_by": _lead(site, on=INTERVENTIONS_PLANNED),
        },
    )
    if not created:
        return
    stamp([intervention], at(INTERVENTIONS_PLANNED, 11))
    groups = InterventionGroup.objects.bulk_create(
        InterventionGroup(intervention=intervention, name=name, size=size or school.pupils or 300)
        for name, size in groups
    )
    held = InterventionSession.objects.bulk_create(
        InterventionSession(
            intervention=intervention,
            held_on=held_on,
            instructors="Två utbildade YAM-instruktörer (kurator och skolsköterska)",
            attendance=present,
        )
        for held_on, present in sessions
    )
    InterventionSession.groups.through.objects.bulk_create(
        InterventionSession.groups.through(interventionsession=s, interventiongroup=g)
        for s in held
        for g in groups
    )
    # How well each point of the checklist held, as the site judged it in November.
    statuses = [Fidelity.MET, Fidelity.MET, Fidelity.PARTLY, Fidelity.NOT_MET]
    offset = INTERVENTION_SITES.index(site.slug) if site.slug in INTERVENTION_SITES else 0
    checks = FidelityCheck.objects.bulk_create(
        FidelityCheck(
            intervention=intervention, item=item, status=statuses[(i + offset) % len(statuses)]
        )
        for i, item in enumerate(programme.fidelity_items.all()[:4])
    )
    stamp(checks, FIDELITY_CHECKED)
    stdout.write(f"cases: {site.slug} has {short_name} at {school.name}.\n")
