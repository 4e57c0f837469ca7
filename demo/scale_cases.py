"""Fictional data at national scale, for `manage.py seed_scale` and `make bench`.

Hundreds of sites with their municipality, a shared set of fictional regions, schools, people
(a project lead, a working group and a steering group per site), practical tests, steering
meetings, general interventions, and cases with consents, timelines, closures, referrals and
their history, spread over the weeks up to today so that run charts have something to show.

It writes with `bulk_create` in batches, chunk by chunk of sites, inside one transaction: a run
either adds a whole batch or nothing. Every row satisfies the models' constraints; nothing is
switched off. Each run adds a new batch of sites after those already there (`skala-<n>`, case
code prefix `S<n>`), so codes, slugs and e-mail addresses never collide.

Everything is made up and says so: places are invented, people are "(fiktiv)", every address
is @scale.example.org, and no free text describes a child."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cases.models import (
    Case,
    CaseChange,
    CaseConsent,
    CaseEvent,
    ChangeKind,
    Closure,
    Concern,
    ConsentGivenBy,
    ConsentStatus,
    Decision,
    EventKind,
    Intervention,
    InterventionProgramme,
    InterventionSession,
    InterventionStatus,
    Level,
    Outcome,
    PracticalTest,
    RaisedBy,
    ReferralTo,
    StaffRole,
    Stage,
    StartingPoint,
)
from pilots.models import (
    Actor,
    Membership,
    Organisation,
    OrganisationKind,
    Phase,
    PilotSite,
    Role,
    School,
    SchoolType,
    SteeringMeeting,
    User,
)
from pilots.models import Decision as SteeringDecision

PASSWORD = "triad-scale"  # noqa: S105 - the published password of fictional bench data only
DOMAIN = "scale.example.org"
COORDINATOR_EMAIL = f"coordinator@{DOMAIN}"
SLUG_PREFIX = "skala-"
BATCH = 2000  # rows per INSERT
SITES_PER_CHUNK = 10  # sites whose cases are built in memory at once

PLACE_STARTS = [
    "Björk", "Ek", "Gran", "Lind", "Ask", "Al", "Hassel", "Rönn", "Sälg", "Tall",
    "Sjö", "Berg", "Dal", "Ny", "Öst", "Väst", "Norr", "Söder", "Mell", "Stor",
    "Lill", "Hög", "Ål", "Sand", "Sten", "Mos", "Kvarn", "Tors", "Fager", "Hav",
]  # fmt: skip
PLACE_ENDS = [
    "vik", "ås", "by", "torp", "köping", "hamn", "sund", "berga", "stad", "holm",
    "näs", "fors", "dala", "lunda", "hult",
]  # fmt: skip
REGION_NAMES = [
    "Norrskogen", "Älvdalen", "Kustlandet", "Mellanbygden", "Sjölandet", "Fjällranden",
    "Slätten", "Skärgården", "Bergslagen", "Höglandet", "Skogsbygden", "Dalgången",
    "Åsen", "Ådalen", "Myrlandet", "Ängsbygden", "Sydkusten", "Västkusten", "Ostkusten",
    "Inlandet", "Gränsbygden",
]  # fmt: skip
SCHOOL_NAMES = [
    "Ängs", "Backa", "Centrum", "Ekdungs", "Furu", "Gläntans", "Hage", "Kyrkbacks",
    "Lärk", "Mo", "Norrgårds", "Park", "Rosen", "Solbergs", "Tall", "Ugglans", "Vass",
    "Åkerns", "Ölands", "Sjövalls",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Sara", "Johan", "Elin", "Per",
    "Emma", "Nils", "Ida", "Olof", "Linnea", "Jonas", "Sofia", "Mikael", "Hanna", "Fredrik",
]  # fmt: skip
LAST_NAMES = [
    "Lindqvist", "Berglund", "Sandberg", "Holm", "Ek", "Nyström", "Dahl", "Lund", "Sjöberg",
    "Forsberg", "Hedlund", "Åberg", "Strand", "Wikström", "Björk", "Falk",
]  # fmt: skip

S, SO, H = Actor.SCHOOL, Actor.SOCIAL, Actor.HEALTH
# (role, actor, title, hours set aside per week or None) for each person of a site.
PEOPLE = [
    (Role.LEAD, S, "Projektledare", None),
    (Role.WORKING, S, "Skolkurator", None),
    (Role.WORKING, S, "Skolsköterska", None),
    (Role.WORKING, S, "Skolpsykolog", None),
    (Role.WORKING, SO, "Socialsekreterare", 8),
    (Role.WORKING, H, "Sjuksköterska, barn- och ungdomshälsan", 6),
    (Role.STEERING, S, "Rektor", None),
    (Role.STEERING, SO, "Enhetschef, individ- och familjeomsorgen", None),
    (Role.STEERING, H, "Verksamhetschef, barn- och ungdomshälsan", None),
]
PHASES = [Phase.TESTING] * 6 + [Phase.PLANNING, Phase.PLANNING, Phase.REPORTING, Phase.PRE_STUDY]
TEST_IDEAS = [
    (
        "Gemensam mottagning av nya ärenden",
        "Kurator, socialsekreterare och sjuksköterska tar emot nya ärenden tillsammans varje vecka.",
    ),
    (
        "Drop-in hos elevhälsan på lunchen",
        "Eleverna kan söka elevhälsan själva utan tidsbokning tre luncher i veckan.",
    ),
    (
        "Konsultation med vården inom en vecka",
        "Skolan får konsultation från barn- och ungdomshälsan inom sju dagar efter första kontakt.",
    ),
    (
        "Tidig vårdnadshavarträff vid frånvaro",
        "Vid upprepad frånvaro träffar skolan och socialtjänsten vårdnadshavarna inom två veckor.",
    ),
]
# Weighted choices, as lists so that random.choice keeps them cheap.
RAISED_BY = (
    [RaisedBy.CHILD] * 22
    + [RaisedBy.GUARDIAN] * 20
    + [RaisedBy.SCHOOL_STAFF] * 28
    + [RaisedBy.STUDENT_HEALTH] * 20
    + [RaisedBy.SOCIAL] * 4
    + [RaisedBy.HEALTH] * 4
    + [RaisedBy.OTHER] * 2
)
FOLLOW_UPS = [
    (EventKind.CONVERSATION, S),
    (EventKind.CONVERSATION, S),
    (EventKind.FOLLOW_UP, S),
    (EventKind.CONSULTATION, H),
    (EventKind.CONSULTATION, SO),
    (EventKind.GUARDIAN_MEETING, S),
    (EventKind.JOINT_MEETING, SO),
    (EventKind.GROUP_INTERVENTION, S),
    (EventKind.INTERVENTION, H),
]
FIRST_INTERVENTIONS = [
    (EventKind.CONVERSATION, S),
    (EventKind.CONVERSATION, S),
    (EventKind.INTERVENTION, S),
    (EventKind.INTERVENTION, H),
    (EventKind.INTERVENTION, SO),
]
SCHOOL_YEARS = {
    SchoolType.PRIMARY: range(0, 7),
    SchoolType.LOWER_SECONDARY: range(7, 10),
    SchoolType.COMPULSORY: range(0, 10),
    SchoolType.UPPER_SECONDARY: range(10, 13),
}
SCHOOL_TYPES = [SchoolType.COMPULSORY, SchoolType.PRIMARY, SchoolType.PRIMARY] + [
    SchoolType.LOWER_SECONDARY,
    SchoolType.UPPER_SECONDARY,
]


@dataclass
class Result:
    """What one run added."""

    sites: int = 0
    schools: int = 0
    users: int = 0
    tests: int = 0
    cases: int = 0
    events: int = 0
    consents: int = 0
    first_site: str = ""
    site_ids: list = field(default_factory=list)
    start: datetime.date | None = None
    today: datetime.date | None = None


def _bulk(model, rows, *, batch_size=BATCH):
    return model.objects.bulk_create(rows, batch_size=batch_size)


def _place(index: int) -> str:
    start = PLACE_STARTS[index % len(PLACE_STARTS)]
    end = PLACE_ENDS[(index // len(PLACE_STARTS) + index) % len(PLACE_ENDS)]
    return f"{start}{end}"


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} (fiktiv)"


def _share(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split `total` over `parts` unevenly (some sites log many more cases than others)."""
    if parts == 0:
        return []
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    return counts


def seed(
    *,
    sites: int,
    schools_per_site: int,
    cases: int,
    weeks: int = 40,
    today: datetime.date | None = None,
    random_seed: int = 2018,
    progress: Callable[[str], None] = lambda message: None,
) -> Result:
    """Add `sites` new sites with `schools_per_site` schools each and `cases` cases in all."""
    if sites < 1 or schools_per_site < 1 or cases < 0:
        raise ValueError("sites and schools per site must be at least 1, cases at least 0")
    rng = random.Random(random_seed + PilotSite.objects.count())
    today = today or timezone.localdate()
    start = today - datetime.timedelta(weeks=weeks)
    result = Result(start=start, today=today)
    with transaction.atomic():
        site_rows, people = _structure(sites, schools_per_site, start, rng, result)
        progress(f"{result.sites} sites, {result.schools} schools, {result.users} people")
        tests = _practical_tests(site_rows, people, start, today, rng, result)
        _governance(site_rows, people, start, today, rng)
        _interventions(site_rows, start, today, rng)
        per_site = _share(cases, len(site_rows), rng)
        for offset in range(0, len(site_rows), SITES_PER_CHUNK):
            chunk = site_rows[offset : offset + SITES_PER_CHUNK]
            _cases(chunk, per_site[offset:], people, tests, start, today, rng, result)
            progress(f"{result.cases} cases, {result.events} timeline entries")
    return result


# --- Structure: organisations, sites, schools, people --------------------------------------


def _structure(n_sites, schools_per_site, start, rng, result):
    first = PilotSite.objects.filter(slug__startswith=SLUG_PREFIX).count() + 1
    indexes = range(first, first + n_sites)
    regions = []
    for name in REGION_NAMES:
        region, _ = Organisation.objects.get_or_create(
            name=f"Region {name} (fiktiv)", kind=OrganisationKind.REGION, parent=None
        )
        regions.append(region)
    municipalities = _bulk(
        Organisation,
        [
            Organisation(name=f"{_place(g)} kommun (fiktiv S{g:05d})", kind="municipality")
            for g in indexes
        ],
    )
    site_regions = [regions[(g * 7) % len(regions)] for g in indexes]
    units = _bulk(
        Organisation,
        [
            unit
            for g, municipality, region in zip(indexes, municipalities, site_regions, strict=True)
            for unit in (
                Organisation(
                    name="Utbildningsförvaltningen", kind="unit", actor=S, parent=municipality
                ),
                Organisation(
                    name="Individ- och familjeomsorgen", kind="unit", actor=SO, parent=municipality
                ),
                Organisation(
                    name=f"Barn- och ungdomshälsan {_place(g)} (S{g:05d})",
                    kind="unit",
                    actor=H,
                    parent=region,
                ),
            )
        ],
    )
    site_rows = _bulk(
        PilotSite,
        [
            PilotSite(
                name=f"{_place(g)} (fiktiv)",
                slug=f"{SLUG_PREFIX}{g}",
                municipality=municipality,
                region=region,
                school_actor=units[3 * i],
                social_actor=units[3 * i + 1],
                health_actor=units[3 * i + 2],
                phase=PHASES[g % len(PHASES)],
                case_code_prefix=f"S{g:05d}",
            )
            for i, (g, municipality, region) in enumerate(
                zip(indexes, municipalities, site_regions, strict=True)
            )
        ],
    )
    result.sites = len(site_rows)
    result.first_site = site_rows[0].slug
    result.site_ids = [site.pk for site in site_rows]

    schools = _bulk(
        School,
        [
            School(
                site=site,
                name=_school_name(j),
                school_type=rng.choice(SCHOOL_TYPES),
                pupils=rng.randrange(120, 900),
            )
            for site in site_rows
            for j in range(schools_per_site)
        ],
    )
    result.schools = len(schools)
    for i, site in enumerate(site_rows):
        site.school_list = schools[i * schools_per_site : (i + 1) * schools_per_site]

    password = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
    User.objects.get_or_create(
        email=COORDINATOR_EMAIL,
        defaults={
            "full_name": "Koordinator Skala (fiktiv)",
            "is_coordinator": True,
            "password": password,
        },
    )
    EmailAddress.objects.get_or_create(
        email=COORDINATOR_EMAIL,
        defaults={
            "user": User.objects.get(email=COORDINATOR_EMAIL),
            "verified": True,
            "primary": True,
        },
    )
    users = _bulk(
        User,
        [
            User(
                email=f"{_email_local(role, k)}.{site.slug}@{DOMAIN}",
                full_name=_person_name(rng),
                password=password,
            )
            for site in site_rows
            for k, (role, *_rest) in enumerate(PEOPLE)
        ],
    )
    _bulk(
        EmailAddress,
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
    )
    result.users = len(users)
    memberships = []
    for i, site in enumerate(site_rows):
        unit = {S: units[3 * i], SO: units[3 * i + 1], H: units[3 * i + 2]}
        for k, (role, actor, title, hours) in enumerate(PEOPLE):
            memberships.append(
                Membership(
                    site=site,
                    user=users[i * len(PEOPLE) + k],
                    role=role,
                    actor=actor,
                    organisation=unit[actor],
                    title=title,
                    hours_per_week=hours,
                    planned_hours_per_week=hours + 2 if hours else None,
                    starts_on=start,
                )
            )
    memberships = _bulk(Membership, memberships)
    people = {
        site.pk: memberships[i * len(PEOPLE) : (i + 1) * len(PEOPLE)]
        for i, site in enumerate(site_rows)
    }
    return site_rows, people


def _school_name(j):
    base = SCHOOL_NAMES[j % len(SCHOOL_NAMES)]
    return (
        f"{base}skolan" if j < len(SCHOOL_NAMES) else f"{base}skolan {j // len(SCHOOL_NAMES) + 1}"
    )


def _email_local(role, k):
    return {Role.LEAD: "lead", Role.WORKING: f"member{k}", Role.STEERING: f"steering{k}"}[role]


def working_members(memberships):
    return [m for m in memberships if m.role in (Role.LEAD, Role.WORKING)]


# --- Practical tests, governance and general interventions: a few rows per site -------------


def _practical_tests(site_rows, people, start, today, rng, result):
    tests, links = [], []
    span = (today - start).days
    for site in site_rows:
        lead = people[site.pk][0].user
        for t, (title, idea) in enumerate(TEST_IDEAS[: rng.randint(1, 3)]):
            starts_on = start + datetime.timedelta(days=rng.randrange(0, max(span // 2, 1)))
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
    tests = _bulk(PracticalTest, tests)
    by_site: dict[int, list] = {}
    for test in tests:
        by_site.setdefault(test.site_id, []).append(test)
    schools = {site.pk: site.school_list for site in site_rows}
    for test in tests:
        for school in schools[test.site_id][:2]:
            links.append(PracticalTest.schools.through(practicaltest=test, school=school))
    _bulk(PracticalTest.schools.through, links)
    result.tests = len(tests)
    return by_site


def _governance(site_rows, people, start, today, rng):
    meetings = []
    for site in site_rows:
        lead = people[site.pk][0].user
        for m in range(rng.randint(2, 5)):
            held_on = start + datetime.timedelta(weeks=4 + 8 * m)
            if held_on <= today:
                meetings.append(SteeringMeeting(site=site, held_on=held_on, created_by=lead))
    meetings = _bulk(SteeringMeeting, meetings)
    _bulk(
        SteeringDecision,
        [
            SteeringDecision(meeting=m, text="Arbetsgruppen fortsätter med nästa praktiska test.")
            for m in meetings
        ],
    )
    steering = {
        site.pk: [m for m in people[site.pk] if m.role == Role.STEERING] for site in site_rows
    }
    _bulk(
        SteeringMeeting.attendees.through,
        [
            SteeringMeeting.attendees.through(steeringmeeting=m, membership=member)
            for m in meetings
            for member in steering[m.site_id]
        ],
    )


def _interventions(site_rows, start, today, rng):
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
            groups_reached=rng.randint(2, 8),
            groups_description="Alla klasser i årskurs 8",
            starts_on=start + datetime.timedelta(weeks=2),
        )
        for i, site in enumerate(site_rows)
        if i % 2 == 0
    ]
    rows = _bulk(Intervention, rows)
    _bulk(
        InterventionSession,
        [
            InterventionSession(
                intervention=intervention,
                held_on=min(start + datetime.timedelta(weeks=3 + s), today),
                instructors="Två certifierade instruktörer",
                pupils_reached=rng.randint(18, 30),
            )
            for intervention in rows
            for s in range(3)
        ],
    )


# --- Cases with consents, timelines and history ---------------------------------------------


def _cases(chunk, counts, people, tests, start, today, rng, result):
    span = (today - start).days
    new_cases, plans = [], []
    for site, count in zip(chunk, counts, strict=False):
        members = working_members(people[site.pk])
        site_tests = tests.get(site.pk, [])
        # Later weeks log more cases than the first ones, as a site gets going.
        days = sorted(int(span * rng.random() ** 0.8) for _ in range(count))
        numbers: dict[int, int] = {}
        for day in days:
            contact = start + datetime.timedelta(days=day)
            numbers[contact.year] = numbers.get(contact.year, 0) + 1
            case, plan = _case(
                site, contact, numbers[contact.year], members, site_tests, today, rng
            )
            new_cases.append(case)
            plans.append(plan)
    new_cases = _bulk(Case, new_cases)
    events, consents, changes = [], [], []
    for case, (by, timeline) in zip(new_cases, plans, strict=True):
        for occurred_on, kind, actor in timeline:
            events.append(
                CaseEvent(
                    case=case,
                    occurred_on=occurred_on,
                    actor=actor,
                    level=Level.GROUP if kind == EventKind.GROUP_INTERVENTION else Level.INDIVIDUAL,
                    kind=kind,
                    minutes=rng.choice((15, 30, 30, 45, 60, 90)),
                    created_by_id=by,
                )
            )
        consents.extend(_consents(case, rng))
        changes.append(CaseChange(case=case, changed_by_id=by, what=ChangeKind.CREATED))
        if case.closed_on:
            changes.append(CaseChange(case=case, changed_by_id=by, what=ChangeKind.CLOSED))
    _bulk(CaseEvent, events)
    _bulk(CaseConsent, consents)
    _bulk(CaseChange, changes)
    result.cases += len(new_cases)
    result.events += len(events)
    result.consents += len(consents)


def _case(site, contact, number, members, site_tests, today, rng):
    school = rng.choice(site.school_list)
    by = rng.choice(members).user_id
    timeline = [(contact, EventKind.CONTACT, S)]
    intervention = None
    waited = int(rng.expovariate(1 / 8))
    if contact + datetime.timedelta(days=waited) <= today and rng.random() < 0.9:
        intervention = contact + datetime.timedelta(days=waited)
        kind, actor = rng.choice(FIRST_INTERVENTIONS)
        timeline.append((intervention, kind, actor))
    sip = intervention is not None and rng.random() < 0.06
    closed_on = closure = referred_to = outcome = ""
    if intervention:
        follow_ups = rng.randint(1, 4)
        last = intervention
        for _ in range(follow_ups):
            last = last + datetime.timedelta(days=rng.randint(3, 21))
            if last > today:
                break
            timeline.append((last, *rng.choice(FOLLOW_UPS)))
        if sip and last <= today:
            timeline.append((last, EventKind.SIP_MEETING, SO))
        end = last + datetime.timedelta(days=rng.randint(1, 14))
        if end <= today and rng.random() < 0.8:
            closed_on = end
            closure = Closure.REFERRED if rng.random() < 0.22 else Closure.RESOLVED
            referred_to = rng.choice(ReferralTo.values) if closure == Closure.REFERRED else ""
            outcome = rng.choice(
                [Outcome.IMPROVED] * 5 + [Outcome.UNCHANGED] * 2 + [Outcome.UNKNOWN]
            )
    test = rng.choice(site_tests) if site_tests and rng.random() < 0.3 else None
    case = Case(
        site=site,
        practical_test=test,
        year=contact.year,
        number=number,
        code=f"{site.case_code_prefix}-{contact.year}-{number:03d}",
        school=school,
        school_year=rng.choice(SCHOOL_YEARS[school.school_type]),
        raised_by=rng.choice(RAISED_BY),
        concerns=rng.sample(Concern.values, rng.choice((1, 1, 2, 2, 3))),
        first_contact_on=contact,
        first_intervention_on=intervention,
        sip_started=sip,
        sip_started_on=intervention if sip else None,
        closed_on=closed_on or None,
        closure=closure,
        referred_to=referred_to,
        referral_reason="Behövde specialiserad bedömning." if referred_to else "",
        outcome=outcome,
        created_by_id=by,
    )
    return case, (by, timeline)


def _consents(case, rng):
    rows = []
    for actor in Actor.values:
        asked = actor == S or rng.random() < 0.6
        if not asked:
            rows.append(CaseConsent(case=case, actor=actor))
            continue
        rows.append(
            CaseConsent(
                case=case,
                actor=actor,
                status=ConsentStatus.GIVEN if rng.random() < 0.85 else ConsentStatus.DECLINED,
                given_by=rng.choice(ConsentGivenBy.values),
                recorded_on=case.first_contact_on,
                asked_by_role=rng.choice([StaffRole.COUNSELLOR, StaffRole.SCHOOL_NURSE]),
            )
        )
    return rows
