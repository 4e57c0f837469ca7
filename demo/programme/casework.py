"""Demo data for practical tests, cases, vignettes and general interventions, as in autumn 2018:
five sites ran practical tests with about five cases each, the other five prepared general
interventions (PALS, YAM) and discussed a vignette.

Everything is fictional and says so. `seed` is idempotent: every object is found by a natural
key (a site's slug with a test's title, a case code, a vignette title, a programme and school)
and only created when missing. It needs the ten demo sites of demo.programme.sites; a site that
is not there is skipped."""

import datetime

from django.db import transaction

from cases.models import (
    Case,
    CaseConsent,
    CaseEvent,
    ChangeKind,
    ConsentGivenBy,
    ConsentStatus,
    Decision,
    EventKind,
    Fidelity,
    FidelityCheck,
    Intervention,
    InterventionGroup,
    InterventionProgramme,
    InterventionSession,
    InterventionStatus,
    PracticalTest,
    StaffRole,
    Stage,
    StartingPoint,
    Vignette,
    VignetteResponse,
    VignetteStage,
)
from demo.programme.case_stories import (
    CASES,
    NEXT_CYCLE_CASES,
    PROGRAMME_FOR,
    TESTS,
    VIGNETTE,
    VIGNETTE_ANSWERS,
)
from pilots.models import Actor, PilotSite, User

TESTING_SITES = ["malmo", "uppsala", "umea", "orebro", "linkoping"]
INTERVENTION_SITES = ["sundsvall", "karlstad", "boras", "gavle", "vaxjo"]
DEMO = "(demo)"


START = datetime.date(2018, 9, 10)


def _day(offset):
    return START + datetime.timedelta(days=offset)


def _lead(site):
    return User.objects.filter(email__iexact=f"lead@{site.slug}.example.org").first()


def _member(site):
    return User.objects.filter(email__iexact=f"member@{site.slug}.example.org").first()


def seed(stdout) -> None:
    sites = {
        s.slug: s for s in PilotSite.objects.filter(slug__in=TESTING_SITES + INTERVENTION_SITES)
    }
    missing = [slug for slug in TESTING_SITES + INTERVENTION_SITES if slug not in sites]
    if missing:
        stdout.write(f"cases: no demo site {', '.join(missing)}; skipped.\n")
    for slug in TESTING_SITES:
        if slug in sites:
            _seed_tests(sites[slug], stdout)
    vignette = _seed_vignette()
    for slug in INTERVENTION_SITES:
        if slug in sites:
            _seed_intervention(sites[slug], PROGRAMME_FOR[slug], stdout)
            _seed_answers(sites[slug], vignette)
    stdout.write("cases: demo tests, cases, vignette and interventions are in place.\n")


@transaction.atomic
def _seed_tests(site, stdout):
    schools = list(site.schools.order_by("name")[:2])
    if not schools:
        stdout.write(f"cases: {site.slug} has no schools; skipped.\n")
        return
    title, points, idea = TESTS[site.slug]
    lead, member = _lead(site), _member(site)
    first, created = PracticalTest.objects.get_or_create(
        site=site,
        title=f"{title} {DEMO}",
        cycle=1,
        defaults={
            "starting_points": list(points),
            "change_idea": idea,
            "aim": "Att barnet får en första insats på skolan snabbare, av rätt aktör.",
            "prediction": "Fyra av fem ärenden får en första insats inom sju dagar från första kontakt, "
            "och minst tre av fem kan avslutas i första linjen.",
            "measures": "Dagar från första kontakt till första insats; avslutade i första linjen "
            "jämfört med remitterade.",
            "who_what_when": "Kuratorn tar emot och samordnar; socialsekreteraren och "
            "sjuksköterskan är på skolan en halvdag i veckan. Avstämning varje fredag.",
            "planned_cases": 5,
            "starts_on": START,
            "ends_on": _day(60),
            "stage": Stage.DONE,
            "what_happened": "Fem ärenden togs under sju veckor. Två tog längre tid än "
            "planerat eftersom samtycke behövde inhämtas först.",
            "deviations": "Personalbyte hos socialtjänsten mitt i testet.",
            "study_results": "Förutsägelsen höll för de flesta ärendena. Samtycke tidigt gjorde "
            "störst skillnad.",
            "learning": "Fråga om samtycke till alla tre aktörerna vid första samtalet.",
            "decision": Decision.ADAPT,
            "decision_reason": "Arbetssättet fungerar men samtyckesfrågan behöver komma tidigare.",
            "next_steps": "Samtycke till alla tre aktörer tas upp redan vid första kontakten.",
            "decided_on": _day(63),
            "created_by": lead,
        },
    )
    if created:
        first.schools.set(schools)
        first.people.set([u for u in (lead, member) if u])
    second, created = PracticalTest.objects.get_or_create(
        site=site,
        title=f"{title} {DEMO}",
        cycle=2,
        defaults={
            "follows": first,
            "starting_points": list(points),
            "change_idea": first.next_steps,
            "aim": first.aim,
            "prediction": "Samtycke är inhämtat vid första kontakten i fyra av fem ärenden.",
            "planned_cases": 5,
            "starts_on": _day(77),
            "stage": Stage.DO,
            "created_by": lead,
        },
    )
    if created:
        second.schools.set(schools)
        second.people.set([u for u in (lead, member) if u])
    for i, spec in enumerate(CASES, start=1):
        _seed_case(site, first, i, schools[(i - 1) % len(schools)], spec, member or lead)
    for i, spec in enumerate(NEXT_CYCLE_CASES, start=len(CASES) + 1):
        _seed_case(site, second, i, schools[0], spec, member or lead)
    stdout.write(f"cases: {site.slug} has its practical tests and cases.\n")


def _seed_case(site, test, number, school, spec, by):
    school_year, raised_by, concerns, offset, events, consents, closing = spec
    code = f"{site.case_code_prefix}-2018-{number:03d}"
    if Case.objects.filter(site=site, code=code).exists():
        return
    intervention_days = [d for d, _a, kind, _l, _m in events if kind in EventKind.interventions()]
    case = Case(
        site=site,
        practical_test=test,
        year=2018,
        number=number,
        code=code,
        school=school,
        school_year=school_year,
        raised_by=raised_by,
        concerns=concerns,
        first_contact_on=_day(offset),
        first_intervention_on=_day(min(intervention_days)) if intervention_days else None,
        reflections="Fiktivt demoärende.",
        created_by=by,
    )
    if any(kind == EventKind.SIP_MEETING for _d, _a, kind, _l, _m in events):
        case.sip_started = True
        case.sip_started_on = _day(
            max(d for d, _a, k, _l, _m in events if k == EventKind.SIP_MEETING)
        )
    if closing:
        closure, referred_to, outcome, closed_day = closing
        case.closed_on = _day(offset + closed_day)
        case.closure = closure
        case.referred_to = referred_to
        case.outcome = outcome
        if referred_to:
            case.referral_reason = "Behovet krävde en specialiserad bedömning."
    case.save()
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            occurred_on=_day(day),
            actor=actor,
            kind=kind,
            level=level,
            minutes=minutes,
            created_by=by,
        )
        for day, actor, kind, level, minutes in events
    )
    CaseConsent.objects.bulk_create(
        CaseConsent(
            case=case,
            actor=actor,
            status=ConsentStatus.GIVEN if actor in consents else ConsentStatus.NOT_ASKED,
            given_by=ConsentGivenBy.BOTH if actor in consents else "",
            recorded_on=_day(offset) if actor in consents else None,
            asked_by_role=StaffRole.COUNSELLOR if actor in consents else "",
        )
        for actor in Actor.values
    )
    case.changes.create(changed_by=by, what=ChangeKind.CREATED, changes=[])


def _seed_vignette():
    vignette, created = Vignette.objects.get_or_create(
        site=None,
        title=VIGNETTE["title"],
        defaults={"introduction": VIGNETTE["introduction"]},
    )
    if created:
        VignetteStage.objects.bulk_create(
            VignetteStage(vignette=vignette, position=i, title=title, text=text)
            for i, (title, text) in enumerate(VIGNETTE["stages"], start=1)
        )
    return vignette


def _seed_answers(site, vignette):
    by = _member(site) or _lead(site)
    for stage in vignette.stages.all():
        for actor, answers in VIGNETTE_ANSWERS.items():
            VignetteResponse.objects.get_or_create(
                site=site,
                stage=stage,
                actor=actor,
                defaults={"text": answers[stage.position - 1], "updated_by": by},
            )


# What each general intervention serves and the groups it is for: YAM the four year-8 classes
# (96 pupils), PALS the whole school. A group's pupils are reached once it has had a session.
INTERVENTION_PLANS = {
    "YAM": {
        "starting_points": [StartingPoint.PROMOTIVE, StartingPoint.SEEK_HELP],
        "groups": [("8A", 24), ("8B", 25), ("8C", 23), ("8D", 24)],
    },
    "PALS": {"starting_points": [StartingPoint.PROMOTIVE], "groups": [("Hela skolan", None)]},
}


@transaction.atomic
def _seed_intervention(site, short_name, stdout):
    school = site.schools.order_by("name").first()
    programme = InterventionProgramme.objects.filter(short_name=short_name).first()
    if school is None or programme is None:
        stdout.write(f"cases: {site.slug} has no school or {short_name} is missing; skipped.\n")
        return
    yam = short_name == "YAM"
    plan = INTERVENTION_PLANS.get(short_name, {"starting_points": [], "groups": []})
    intervention, created = Intervention.objects.get_or_create(
        site=site,
        programme=programme,
        school=school,
        defaults={
            "status": InterventionStatus.RUNNING if yam else InterventionStatus.PREPARING,
            "groups_description": "Alla klasser i åk 8" if yam else "Hela skolan, från vårterminen",
            "starting_points": [str(p) for p in plan["starting_points"]],
            "starts_on": _day(30) if yam else datetime.date(2019, 1, 8),
            "notes": f"Demodata, fiktivt. {programme.name} förbereds under hösten 2018.",
            "created_by": _lead(site),
        },
    )
    if not created:
        return
    groups = InterventionGroup.objects.bulk_create(
        InterventionGroup(intervention=intervention, name=name, size=size or school.pupils or 300)
        for name, size in plan["groups"]
    )
    if yam:
        # Three sessions for the whole year group; a few pupils away each time.
        sessions = InterventionSession.objects.bulk_create(
            InterventionSession(
                intervention=intervention,
                held_on=_day(30 + 7 * i),
                instructors="Två utbildade YAM-instruktörer (kurator och skolsköterska)",
                attendance=96 - 4 * i,
            )
            for i in range(3)
        )
        InterventionSession.groups.through.objects.bulk_create(
            InterventionSession.groups.through(interventionsession=s, interventiongroup=g)
            for s in sessions
            for g in groups
        )
    statuses = [Fidelity.MET, Fidelity.MET, Fidelity.PARTLY, Fidelity.NOT_MET]
    FidelityCheck.objects.bulk_create(
        FidelityCheck(intervention=intervention, item=item, status=statuses[i % len(statuses)])
        for i, item in enumerate(programme.fidelity_items.all()[:4])
    )
    stdout.write(f"cases: {site.slug} has {short_name} at {school.name}.\n")
