"""Aggregates of a set of cases: what a practical test or a site presents, and what steering
groups and coordinators may see. Only counts, never a single case. Three queries at most,
however many cases there are."""

import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from pilots.models import Actor

from .models import CaseConsent, CaseEvent, Closure, Concern, ConsentStatus, RaisedBy, ReferralTo


def _share(part, whole):
    return round(100 * part / whole) if whole else None


@dataclass
class CaseSummary:
    total: int = 0
    open: int = 0
    resolved: int = 0
    referred: int = 0
    self_referrals: int = 0
    with_intervention: int = 0
    sip_started: int = 0
    days: list = field(default_factory=list)
    referred_to: Counter = field(default_factory=Counter)
    concerns: Counter = field(default_factory=Counter)
    actor_cases: Counter = field(default_factory=Counter)
    actor_minutes: Counter = field(default_factory=Counter)
    all_three: int = 0
    consent_given: Counter = field(default_factory=Counter)

    @property
    def closed(self):
        return self.resolved + self.referred

    @property
    def median_days(self):
        return statistics.median(self.days) if self.days else None

    @property
    def mean_days(self):
        return round(statistics.mean(self.days), 1) if self.days else None

    @property
    def max_days(self):
        return max(self.days) if self.days else None

    @property
    def self_referral_share(self):
        return _share(self.self_referrals, self.total)

    @property
    def resolved_share(self):
        return _share(self.resolved, self.closed)

    @property
    def referred_share(self):
        return _share(self.referred, self.closed)

    @property
    def all_three_share(self):
        return _share(self.all_three, self.total)

    def referrals(self):
        labels = dict(ReferralTo.choices)
        return [(labels[k], n) for k, n in self.referred_to.most_common()]

    def concern_counts(self):
        labels = dict(Concern.choices)
        return [(labels[k], n) for k, n in self.concerns.most_common() if k in labels]

    def actors(self):
        """Per actor: cases it took part in, minutes logged, cases with consent to share."""
        return [
            {
                "actor": actor.label,
                "cases": self.actor_cases[actor.value],
                "share": _share(self.actor_cases[actor.value], self.total),
                "minutes": self.actor_minutes[actor.value],
                "consent_given": self.consent_given[actor.value],
            }
            for actor in Actor
        ]


def summarise(cases) -> CaseSummary:
    """The aggregates of a queryset of cases."""
    summary = CaseSummary()
    rows = cases.values(
        "raised_by",
        "first_contact_on",
        "first_intervention_on",
        "closure",
        "referred_to",
        "sip_started",
        "concerns",
    )
    for row in rows:
        summary.total += 1
        if row["closure"] == Closure.RESOLVED:
            summary.resolved += 1
        elif row["closure"] == Closure.REFERRED:
            summary.referred += 1
            if row["referred_to"]:
                summary.referred_to[row["referred_to"]] += 1
        else:
            summary.open += 1
        if row["raised_by"] == RaisedBy.CHILD:
            summary.self_referrals += 1
        if row["first_intervention_on"]:
            summary.with_intervention += 1
            summary.days.append((row["first_intervention_on"] - row["first_contact_on"]).days)
        if row["sip_started"]:
            summary.sip_started += 1
        summary.concerns.update(row["concerns"] or [])
    if not summary.total:
        return summary
    actors_per_case = Counter()
    for row in (
        CaseEvent.objects.filter(case__in=cases)
        .order_by()
        .values("case_id", "actor")
        .annotate(minutes=Sum("minutes"))
    ):
        summary.actor_cases[row["actor"]] += 1
        summary.actor_minutes[row["actor"]] += row["minutes"] or 0
        actors_per_case[row["case_id"]] += 1
    summary.all_three = sum(1 for n in actors_per_case.values() if n == len(Actor))
    for row in (
        CaseConsent.objects.filter(case__in=cases, status=ConsentStatus.GIVEN)
        .order_by()
        .values("actor")
        .annotate(n=Count("id"))
    ):
        summary.consent_given[row["actor"]] = row["n"]
    return summary
