"""The measures a site and a practical test are followed by, each drawn as a chart with the rules
of dashboards.spc, and what marks a chart: the site's PDSA cycles at their dates and a test's
prediction as a target line.

A measure's points come from the summary's periods (dashboards/figures/caseload.py: per week and
per month, the counts each measure needs). The period is the week unless the weeks leave too few
useful points to judge and the months leave more ("whichever gives enough points").

Small numbers (cases.disclosure): cases per period are not a breakdown and stay exact. A share
in one period is: for a viewer who may not see the cases, a point whose part or rest is 1–4 is
not drawn, and neither is a mean of days over 1–4 cases; the chart says how many it left out.
A period may also name the measures it withholds (`withheld`): the national trends do, where a
sum across sites would give one site's count away (dashboards/trends.py)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.disclosure import disclose, sees_exact

from . import spc


@dataclass(frozen=True)
class Measure:
    key: str
    label: object
    definition: object
    chart: str  # the spc chart it is drawn as
    numerator: str  # the period count it counts (or "days" for the mean days)
    denominator: str | None = None
    percent: bool = False  # shown ×100


MEASURES = [
    Measure(
        "cases",
        gettext_lazy("New cases"),
        gettext_lazy(
            "Cases whose first contact fell in the week (or month), whoever raised them. "
            "A run chart: the line across is the median."
        ),
        "run",
        "n",
    ),
    Measure(
        "days",
        gettext_lazy("Days to first intervention"),
        gettext_lazy(
            "For the cases first contacted in the period that have had an intervention: the "
            "mean number of days from first contact to the first intervention logged in the "
            "case's timeline. An I chart (XmR): centre line the mean, limits ±3σ from the "
            "moving ranges."
        ),
        "i",
        "days",
        "reached",
    ),
    Measure(
        "resolved",
        gettext_lazy("Resolved at the first line"),
        gettext_lazy(
            "Of the cases first contacted in the period that are closed: the share closed as "
            "resolved at the first line rather than referred onward. A P chart: centre line "
            "all resolved over all closed, limits ±3σ for each period's number of cases."
        ),
        "p",
        "resolved",
        "closed",
        True,
    ),
    Measure(
        "self",
        gettext_lazy("Raised by the child"),
        gettext_lazy(
            "Of the cases first contacted in the period: the share raised by the child "
            "themself. A P chart."
        ),
        "p",
        "self_referrals",
        "n",
        True,
    ),
    Measure(
        "consent",
        gettext_lazy("Consent to share"),
        gettext_lazy(
            "Of the cases first contacted in the period: the share with consent to share "
            "information with at least one other actor. A P chart."
        ),
        "p",
        "with_consent",
        "n",
        True,
    ),
]
BY_KEY = {m.key: m for m in MEASURES}

RULE_NAMES = {
    "anhoej": gettext_lazy("Anhøj's rules"),
    "ihi": gettext_lazy("the IHI's run-chart rules"),
}
CHART_NAMES = {
    "run": gettext_lazy("Run chart"),
    "p": gettext_lazy("P chart"),
    "u": gettext_lazy("U chart"),
    "i": gettext_lazy("I chart (XmR)"),
}
DECISION_WORDS = {
    "adopt": gettext_lazy("adopted"),
    "adapt": gettext_lazy("adapted"),
    "abandon": gettext_lazy("abandoned"),
}


def choose_unit(weekly, monthly):
    """ "week" unless the weeks cannot be judged and the months give more useful points."""
    weeks = spc.analyse([p["n"] for p in weekly]) if weekly else None
    if weeks is not None and weeks.judgeable:
        return "week"
    months = spc.analyse([p["n"] for p in monthly]) if monthly else None
    if months is not None and months.judgeable:
        return "month"
    return "week"


def points(measure, periods, *, viewer=None, site=None, exact=True):
    """(values, denominators, left out) of a measure over the periods, as `viewer` may see them."""
    values, denominators, left_out = [], [], 0
    for p in periods:
        if measure.denominator is None:
            values.append(p[measure.numerator])
            denominators.append(None)
            continue
        whole = p[measure.denominator]
        part = p["reached"] if measure.key == "days" else p[measure.numerator]
        # A point its maker withholds (a national sum that would give a site's count away).
        if measure.key in p.get("withheld", ()):
            values.append(None)
            denominators.append(0)
            left_out += 1
            continue
        if whole and not exact:
            shown = disclose({"part": part}, viewer=viewer, site=site, of=whole)["part"]
            if shown.hidden:
                values.append(None)
                denominators.append(0)
                left_out += 1
                continue
        if measure.key == "days":
            values.append(p["days"] / part if part else None)
            denominators.append(None)
        else:
            values.append(part)
            denominators.append(whole)
    if measure.chart in ("run", "i"):
        denominators = None
    return values, denominators, left_out


def marks(cycles, labels, unit):
    """The PDSA cycles at their dates: each start and each decision, placed at the index of the
    period it falls in (those outside the chart are left out)."""
    found = []

    def index(day):
        if not day or not labels:
            return None
        key = day[:7] if unit == "month" else day
        at = None
        for i, label in enumerate(labels):
            if (label[:7] if unit == "month" else label) <= key:
                at = i
        # A date after the last period's end is beyond the chart.
        if at is None or (at == len(labels) - 1 and unit == "week" and day > _week_end(labels[-1])):
            return None
        return at

    for cycle in cycles:
        start = index(cycle.get("starts_on"))
        if start is not None:
            found.append({"at": start, "text": _("Start: %(title)s") % {"title": cycle["title"]}})
        decided = index(cycle.get("decided_on"))
        if decided is not None and cycle.get("decision") in DECISION_WORDS:
            found.append(
                {
                    "at": decided,
                    "text": _("%(title)s: %(decision)s")
                    % {"title": cycle["title"], "decision": DECISION_WORDS[cycle["decision"]]},
                }
            )
    return found


def _week_end(monday):
    return (datetime.date.fromisoformat(monday) + datetime.timedelta(days=6)).isoformat()


def split_index(labels, day, unit):
    """The index of the first period that starts on or after `day`'s period: where a phase
    split at that date begins."""
    if not day:
        return None
    key = day[:7] if unit == "month" else day
    for i, label in enumerate(labels):
        start = label[:7] if unit == "month" else label
        if start >= key or (unit == "week" and _week_end(label) >= day):
            return i
    return None


def verdict(analysis):
    """What the chart says, in words."""
    if not analysis.judgeable:
        return _(
            "Too few useful points to judge yet: %(useful)s, and the rules need at least "
            "%(least)s (points on the centre line do not count)."
        ) % {"useful": analysis.useful, "least": spc.MIN_USEFUL}
    if analysis.signal:
        return _("A signal: the variation is not chance alone (see the marked points).")
    return _("No signal: the variation looks like chance.")


def chart(
    measure,
    periods,
    unit,
    *,
    rules="anhoej",
    cycles=(),
    target=None,
    split_on=None,
    freeze=None,
    viewer=None,
    site=None,
):
    """One measure's chart: the numbers it is drawn from and what it says."""
    exact = sees_exact(viewer, site)
    values, denominators, left_out = points(measure, periods, viewer=viewer, site=site, exact=exact)
    labels = [p[unit] for p in periods]
    split = split_index(labels, split_on, unit)
    if split:
        phases = spc.analyse_phases(
            values, denominators, splits=[split], chart=measure.chart, rules=rules
        )
    else:
        phases = [
            spc.analyse(values, denominators, chart=measure.chart, rules=rules, freeze=freeze)
        ]
    scale = 100 if measure.percent else 1
    centre, lower, upper, outside, shift, trend = [], [], [], [], [], []
    for phase in phases:
        n = len(phase.values)
        centre += [_scaled(phase.centre, scale)] * n
        lower += [_scaled(v, scale) for v in (phase.lower or [None] * n)]
        upper += [_scaled(v, scale) for v in (phase.upper or [None] * n)]
        outside += phase.outside
        shift += phase.shift
        trend += phase.trend
    last = phases[-1]
    drawn = [_scaled(v, scale) for a in phases for v in a.values]
    words = {"shift": _("shift"), "trend": _("trend"), "outside": _("outside the limits")}
    rows = [
        {
            "label": label,
            "value": drawn[i],
            "centre": centre[i],
            "lower": lower[i],
            "upper": upper[i],
            "rules": [
                str(w)
                for key, w in words.items()
                if {"shift": shift, "trend": trend, "outside": outside}[key][i]
            ],
        }
        for i, label in enumerate(labels)
    ]
    found_marks = marks(cycles, labels, unit)
    for m in found_marks:
        m["label"] = labels[m["at"]]
    return {
        "key": measure.key,
        "label": str(measure.label),
        "definition": str(measure.definition),
        "chart": measure.chart,
        "chart_name": str(CHART_NAMES[measure.chart]),
        "rules": rules,
        "rules_name": str(RULE_NAMES[rules]),
        "unit": unit,
        "percent": measure.percent,
        "labels": labels,
        "values": drawn,
        "centre": centre,
        "lower": lower,
        "upper": upper,
        "outside": outside,
        "shift": shift,
        "trend": trend,
        "phases": [a.offset for a in phases],
        "marks": found_marks,
        "rows": rows,
        "target": target,
        "left_out": left_out,
        "useful": last.useful,
        "judgeable": last.judgeable,
        "signal": last.judgeable and last.signal,
        "verdict": verdict(last),
        "summary": _summary(last, measure, scale),
    }


def _scaled(value, scale):
    return None if value is None else round(value * scale, 4)


def _summary(analysis, measure, scale):
    """The analysis's figures in a sentence, for the table and the PDF."""
    centre = _scaled(analysis.centre, scale)
    return _(
        "%(centre_name)s %(centre)s; %(useful)s useful points; longest run %(run)s (limit "
        "%(run_max)s); %(crossings)s crossings (at least %(crossings_min)s expected)."
    ) % {
        "centre_name": _("Median") if analysis.chart == "run" else _("Centre line"),
        "centre": "–" if centre is None else number_format(Decimal(f"{round(centre, 1):g}")),
        "useful": analysis.useful,
        "run": analysis.longest_run,
        "run_max": "–" if analysis.longest_run_max is None else analysis.longest_run_max,
        "crossings": analysis.crossings,
        "crossings_min": "–" if analysis.crossings_min is None else analysis.crossings_min,
    }
