"""The demo's cases, generated: each site's autumn term of 2018 week by week, drawn from its own
rhythm (how many new cases a week, how long to a first intervention, how many resolved at the
first line, raised by the child, with consent to share) with a seeded random generator, so the
same site always gets the same cases. A rhythm may change on a day — when a practical test
starts, or a general intervention reaches the classes — and the cases after it follow the new
mix: the improvement the site's charts should find, or not.

Pure Python: `term_cases` returns plain descriptions; demo.programme.casework writes the rows."""

import datetime
import math
import random
from dataclasses import dataclass, field

from cases.models import Closure, EventKind, Level, Outcome, RaisedBy, ReferralTo
from pilots.models import Actor

S, SO, H = Actor.SCHOOL, Actor.SOCIAL, Actor.HEALTH

# The autumn term of 2018: first contacts from its first Monday to its last Friday. Nothing in
# the story happens after TERM_ENDS: a case open then is still open.
TERM_STARTS = datetime.date(2018, 8, 20)
TERM_ENDS = datetime.date(2018, 12, 21)
# The autumn break (höstlov, week 44): few new cases.
AUTUMN_BREAK = (datetime.date(2018, 10, 29), datetime.date(2018, 11, 2))
BREAK_SHARE = 0.25


@dataclass(frozen=True)
class Mix:
    """What a site's new cases are like for a while."""

    per_week: float  # new cases in an ordinary week
    days: float  # mean days from first contact to first intervention
    resolved: float  # of the closed, the share resolved at the first line
    by_child: float  # the share raised by the child themself
    consent: float  # the share with consent to share with another actor


@dataclass(frozen=True)
class Rhythm:
    """A site's term: its mix from the start, and the days it changed."""

    seed: int
    mix: Mix
    changes: tuple = ()  # ((day, Mix), ...) in order

    def on(self, day: datetime.date) -> Mix:
        mix = self.mix
        for changed_on, later in self.changes:
            if day >= changed_on:
                mix = later
        return mix


@dataclass
class CaseStory:
    """One generated case, as plain data."""

    first_contact_on: datetime.date
    school: int  # index among the site's schools
    school_year: int
    raised_by: str
    concerns: list
    consents: dict  # actor -> ConsentStatus value
    events: list = field(default_factory=list)  # (day, actor, kind, level, minutes)
    closure: str = ""
    referred_to: str = ""
    outcome: str = ""
    closed_on: datetime.date | None = None
    sip_started_on: datetime.date | None = None

    @property
    def first_intervention_on(self):
        days = [d for d, _a, kind, _l, _m in self.events if kind in EventKind.interventions()]
        return min(days, default=None)

    @property
    def last_entry_on(self):
        days = [self.first_contact_on, *(d for d, *_rest in self.events), self.closed_on]
        return max(d for d in days if d is not None)


def _weekday(day: datetime.date) -> datetime.date:
    """A working day: a Saturday or Sunday moves on to the Monday."""
    return day + datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the few cases a week a site has."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


OTHERS_RAISING = [
    (RaisedBy.SCHOOL_STAFF, 40),
    (RaisedBy.GUARDIAN, 25),
    (RaisedBy.STUDENT_HEALTH, 25),
    (RaisedBy.SOCIAL, 5),
    (RaisedBy.HEALTH, 5),
]
CONCERNS = [
    ("worry", 20),
    ("low_mood", 15),
    ("stress", 15),
    ("sleep", 8),
    ("absence", 12),
    ("relations", 10),
    ("family", 8),
    ("behaviour", 5),
    ("somatic", 5),
    ("self_harm", 2),
]
REFERRALS = [
    (ReferralTo.CAMHS, 35),
    (ReferralTo.PRIMARY_CARE, 25),
    (ReferralTo.SOCIAL_INVESTIGATION, 20),
    (ReferralTo.YOUTH_CLINIC, 15),
    (ReferralTo.OTHER, 5),
]


def _case(rng: random.Random, mix: Mix, day: datetime.date, schools: int) -> CaseStory:
    raised_by = RaisedBy.CHILD if rng.random() < mix.by_child else _pick(rng, OTHERS_RAISING)
    concerns = []
    while len(concerns) < rng.choice((1, 1, 2)):
        concern = _pick(rng, CONCERNS)
        if concern not in concerns:
            concerns.append(concern)
    others = rng.choice(([SO], [H], [SO, H])) if rng.random() < mix.consent else []
    consents = {a: "given" if a in others else "not_asked" for a in (SO, H)}
    if not others and rng.random() < 0.1:
        consents[rng.choice((SO, H))] = "declined"
    consents[S] = "not_asked"  # the case is the school's own
    case = CaseStory(
        first_contact_on=day,
        school=rng.randrange(schools),
        school_year=rng.randint(4, 9),
        raised_by=raised_by,
        concerns=concerns,
        consents=consents,
    )
    resolved = rng.random() < mix.resolved
    # Days to the first intervention: skewed as waiting times are (a gamma of shape 2).
    wait = max(0, round(rng.gammavariate(2.0, mix.days / 2.0)))
    first = _weekday(day + datetime.timedelta(days=wait))
    events = [(day, S, EventKind.CONTACT, Level.INDIVIDUAL, rng.choice((15, 20, 30)))]
    if (first - day).days >= 2:
        # Before anyone acts: the guardians are met, or the actors consult (with consent).
        before = _weekday(day + datetime.timedelta(days=rng.randint(1, (first - day).days - 1)))
        if before < first:
            if others:
                kind = (
                    EventKind.ASSESSMENT if H in others and not resolved else EventKind.CONSULTATION
                )
                events.append((before, others[0], kind, Level.INDIVIDUAL, 45))
            else:
                events.append((before, S, EventKind.GUARDIAN_MEETING, Level.INDIVIDUAL, 60))
    # Who gives the first intervention, and how.
    if others and rng.random() < 0.6:
        actor = rng.choice(others)
        kind = EventKind.INTERVENTION if actor == SO else EventKind.CONVERSATION
        events.append((first, actor, kind, Level.INDIVIDUAL, 60))
    elif rng.random() < 0.25:
        events.append((first, S, EventKind.GROUP_INTERVENTION, Level.GROUP, 60))
        events.append(
            (first + datetime.timedelta(days=7), S, EventKind.GROUP_INTERVENTION, Level.GROUP, 60)
        )
    else:
        events.append((first, S, EventKind.CONVERSATION, Level.INDIVIDUAL, 45))
    if resolved:
        follow_up = _weekday(first + datetime.timedelta(days=rng.randint(10, 21)))
        events.append((follow_up, S, EventKind.FOLLOW_UP, Level.INDIVIDUAL, 30))
        closes = _weekday(follow_up + datetime.timedelta(days=rng.randint(5, 21)))
        outcome = _pick(rng, [(Outcome.IMPROVED, 75), (Outcome.UNCHANGED, 20), (Outcome.WORSE, 5)])
    else:
        if others == [SO, H] and rng.random() < 0.4:
            sip = _weekday(first + datetime.timedelta(days=rng.randint(5, 14)))
            events.append((sip, H, EventKind.SIP_MEETING, Level.INDIVIDUAL, 90))
            case.sip_started_on = sip
        closes = _weekday(first + datetime.timedelta(days=rng.randint(14, 35)))
        outcome = _pick(rng, [(Outcome.UNKNOWN, 60), (Outcome.UNCHANGED, 30), (Outcome.WORSE, 10)])
    # What lies after the term's end has not happened yet in the story.
    case.events = sorted(e for e in events if e[0] <= TERM_ENDS)
    if case.sip_started_on and case.sip_started_on > TERM_ENDS:
        case.sip_started_on = None
    closes = max(closes, case.events[-1][0])
    if closes <= TERM_ENDS:
        case.closed_on = closes
        case.outcome = outcome
        case.closure = Closure.RESOLVED if resolved else Closure.REFERRED
        case.referred_to = "" if resolved else _pick(rng, REFERRALS)
    return case


def term_cases(rhythm: Rhythm, schools: int) -> list[CaseStory]:
    """The site's cases over the autumn term, first contacted first."""
    rng = random.Random(rhythm.seed)
    cases, monday = [], TERM_STARTS
    while monday <= TERM_ENDS:
        mix = rhythm.on(monday)
        on_break = AUTUMN_BREAK[0] <= monday <= AUTUMN_BREAK[1]
        for _i in range(_poisson(rng, mix.per_week * (BREAK_SHARE if on_break else 1))):
            day = monday + datetime.timedelta(days=rng.randrange(5))
            cases.append(_case(rng, rhythm.on(day), day, schools))
        monday += datetime.timedelta(weeks=1)
    cases.sort(key=lambda c: c.first_contact_on)
    return cases
