"""Aggregates of a set of cases: what a practical test or a site presents, and what steering
groups and coordinators may see. Only counts, never a single case. Three queries at most,
however many cases there are. `figures()` gives them as a viewer may see them (small numbers
hidden, cases/disclosure.py); pages show those, never the summary itself."""

import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django_scopes import scope

from pilots.models import Actor

from .disclosure import case_group, computed, disclose, exact, ordered, sees_exact, share
from .models import (
    Case,
    CaseConsent,
    CaseEvent,
    Closure,
    Concern,
    ConsentStatus,
    RaisedBy,
    ReferralTo,
)


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
    with_consent: int = 0  # cases with consent to share with at least one actor
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

    def figures(self, *, viewer, site, total=None):
        """As `viewer` may see them (see SummaryFigures)."""
        return SummaryFigures(self, viewer=viewer, site=site, total=total)

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
    consenting = set()
    for case_id, actor in (
        CaseConsent.objects.filter(case__in=cases, status=ConsentStatus.GIVEN)
        .order_by()
        .values_list("case_id", "actor")
    ):
        summary.consent_given[actor] += 1
        consenting.add(case_id)
    summary.with_consent = len(consenting)
    return summary


class SummaryFigures:
    """A CaseSummary as one viewer may see it: every count a Figure, small ones hidden.
    `total`: the count of cases as shown among the site's tests (see test_totals); None for
    the whole site's, which is exact."""

    def __init__(self, summary, *, viewer, site, total=None):
        def part(counts, of):
            return disclose(counts, viewer=viewer, site=site, of=of)

        s = summary
        group = case_group(
            {
                "total": s.total,
                "open": s.open,
                "resolved": s.resolved,
                "referred": s.referred,
                "self_referrals": s.self_referrals,
                "sip": s.sip_started,
                "with_consent": s.with_consent,
                "with_intervention": s.with_intervention,
                "median_days": s.median_days,
            },
            viewer=viewer,
            site=site,
            total=total,
        )
        n = group["total"]
        self.total, self.open, self.closed = n, group["open"], group["closed"]
        self.resolved, self.referred = group["resolved"], group["referred"]
        self.self_referrals, self.sip_started = group["self_referrals"], group["sip"]
        self.with_consent = group["with_consent"]
        self.self_referral_share, self.resolved_share = (
            group["self_referral_share"],
            group["resolved_share"],
        )
        reached = group["with_intervention"]
        self.days = bool(s.days)
        self.median_days = group["median_days"]
        self.mean_days = computed(s.mean_days, reached)
        self.max_days = computed(s.max_days, reached)
        self.all_three = part({"n": s.all_three}, n)["n"]
        self.all_three_share = share(self.all_three, n)
        labels = dict(ReferralTo.choices)
        self._referrals = ordered(
            (labels[k], f) for k, f in part(dict(s.referred_to), self.referred).items()
        )
        labels = dict(Concern.choices)
        concerns = {k: v for k, v in s.concerns.items() if k in labels}
        # A case may have several concerns: they add up to nothing the reader sees.
        self._concerns = ordered(
            (labels[k], f) for k, f in part(concerns, n if n.hidden else None).items()
        )
        self._actors = []
        for actor in Actor:
            cases = part({"n": s.actor_cases[actor.value]}, n)["n"]
            self._actors.append(
                {
                    "actor": actor.label,
                    "cases": cases,
                    "minutes": computed(s.actor_minutes[actor.value], cases),
                    "consent_given": part({"n": s.consent_given[actor.value]}, n)["n"],
                }
            )
        self.hides = any(
            f.hidden
            for f in (
                *group.values(),
                self.all_three,
                *(f for _l, f in self._referrals + self._concerns),
                *(r[k] for r in self._actors for k in ("cases", "consent_given")),
            )
        )

    def referrals(self):
        return self._referrals

    def concern_counts(self):
        return self._concerns

    def actors(self):
        return self._actors


def test_totals(site, viewer) -> dict:
    """{test id: its count of cases as `viewer` may see it}. The site's tests and its cases
    outside them add up to the site's count, which every page shows: a test's count is also
    hidden when it would give away a small number of cases outside the tests."""
    if sees_exact(viewer, site):
        return {}
    counts = dict(
        Case.objects.filter(site=site)
        .order_by()
        .values_list("practical_test")
        .annotate(n=Count("pk"))
    )
    outside = counts.pop(None, 0)
    return disclose(counts, viewer=viewer, site=site, of=outside + sum(counts.values()))


def test_figures(test, *, viewer):
    """A practical test's figures as `viewer` may see them, on its page or in a thread of the
    exchange at any site. Counts only, read within the test's own site."""
    with scope(site=[test.site_id]):
        summary = summarise(test.cases.all())
        total = test_totals(test.site, viewer).get(test.pk, exact(summary.total))
        return summary.figures(viewer=viewer, site=test.site, total=total)
