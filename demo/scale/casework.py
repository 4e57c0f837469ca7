"""The national-scale cases: spread over the weeks up to today, each with its consents, its
timeline of contacts and interventions, a closure or referral for most, and its history."""

import datetime

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
    EventKind,
    Level,
    Outcome,
    ReferralTo,
    StaffRole,
)
from demo.scale.batches import bulk
from demo.scale.fiction import FIRST_INTERVENTIONS, FOLLOW_UPS, RAISED_BY, SCHOOL_YEARS, SO, S
from demo.scale.structure import working_members
from pilots.models import Actor


def add_cases(chunk, counts, people, tests, start, today, rng, result):
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
    new_cases = bulk(Case, new_cases)
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
    bulk(CaseEvent, events)
    bulk(CaseConsent, consents)
    bulk(CaseChange, changes)
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
