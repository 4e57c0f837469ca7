"""The national trends: the measures of dashboards/measures.py per month across every site,
added up from the latest summaries' months (`SiteMonth`, written by each build) in two queries
however many sites and cases there are, and drawn as a site's charts are (`measures.chart`,
dashboards.spc): a run chart of new cases, an I chart of days to first intervention and P
charts of the shares, read by Anhøj's rules unless the IHI's are asked for.

A share is the sum of its numerators over the sum of its denominators (all resolved at the
first line over all closed), never an average of the sites' percentages; days to first
intervention are all the days over all the cases with an intervention.

Small numbers (cases.disclosure): the national page leaves the sites, so every point follows
the rule for those who may not see cases. A month's new cases are not a breakdown and stay
exact. A share's point (or a mean of days) is not drawn when its national part or rest is 1–4,
as on a site's chart, nor when the sites whose own point that month would not be drawn are so
few that the national sum, less the points of the other sites, gives one of their counts away
(`gives_away`, as for the national count of open cases). The trends cover every site whatever
the table below them is filtered by: two sums over different sets of sites could otherwise be
subtracted to give one site's count."""

import datetime
from collections import defaultdict

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from cases.disclosure import HIDDEN_FIGURE, bounds, gives_away, threshold
from infra.spreadsheets import Column, Withheld

from . import measures
from .figures.caseload import shown_periods
from .models import SiteMonth

# What a month holds, as the measures read a period (dashboards/figures/caseload.py), and the
# column of SiteMonth each is summed from.
COLUMNS = {
    "n": "cases",
    "closed": "closed",
    "resolved": "resolved",
    "self_referrals": "self_referrals",
    "with_consent": "with_consent",
    "reached": "reached",
    "days": "days",
}


def latest_months():
    return SiteMonth.objects.filter(summary__is_latest=True)


def _parts(measure):
    """The counts of a share's point (or a mean's): (its part, its whole)."""
    if measure.key == "days":
        return "reached", "reached"
    return measure.numerator, measure.denominator


# The measures whose points count a part of a group of cases: those a small number may hide.
SHARES = [m for m in measures.MEASURES if m.denominator is not None]


def _not_drawn(part, whole, t):
    """Whether a site's own point would not be drawn for someone who may not see cases: its
    part or what the part leaves over is one to t − 1 (measures.points, through disclose)."""
    return bool(whole) and (0 < part < t or 0 < whole - part < t)


def _range(value, whole, t):
    """What a reader knows of a count whose whole they know and whose point is not drawn."""
    lo, hi = bounds(value, t)
    lo_rest, hi_rest = bounds(whole - value, t)
    return max(lo, whole - hi_rest), min(hi, whole - lo_rest)


def gives_a_site_away(measure, cells, t) -> bool:
    """Whether the national point of `measure` in a month, with the other sites' points known,
    lets a reader work out a count of one of the sites whose own point is not drawn. `cells`:
    the month's counts of the sites that have a small count of some measure."""
    part_key, whole_key = _parts(measure)
    hidden = [c for c in cells if _not_drawn(c[part_key], c[whole_key], t)]
    if not hidden:
        return False
    parts = {i: c[part_key] for i, c in enumerate(hidden)}
    rests = {i: c[whole_key] - c[part_key] for i, c in enumerate(hidden)}
    # A month's new cases are exact on every page: a share of them has a known whole.
    known = whole_key == "n"
    known_parts = {i: _range(parts[i], c[whole_key], t) for i, c in enumerate(hidden) if known}
    known_rests = {i: _range(rests[i], c[whole_key], t) for i, c in enumerate(hidden) if known}
    return gives_away(parts, t, known_parts) or gives_away(rests, t, known_rests)


def national_periods(today):
    """The months across every site, oldest first, as the measures read periods: {"month": iso
    date of its first day, the counts of COLUMNS summed over the sites, "sites": how many sites
    had cases in it, "withheld": the keys of the measures whose point would give a site away}.
    Two queries: the sums per month, then the few sites' months that hold a small count."""
    sums = {
        row["month"]: row
        for row in latest_months()
        .order_by()
        .values("month")
        .annotate(sites=Count("pk"), **{key: Sum(column) for key, column in COLUMNS.items()})
    }
    if not sums:
        return []
    months = shown_periods(min(sums), max(sums), today, "month")
    t = threshold()
    small = Q()
    for measure in SHARES:
        part, whole = _parts(measure)
        small |= Q(**{f"{COLUMNS[part]}__range": (1, t - 1)})
        if part != whole:
            small |= Q(**{f"rest_{measure.key}__range": (1, t - 1)})
    rests = {
        f"rest_{m.key}": F(COLUMNS[_parts(m)[1]]) - F(COLUMNS[_parts(m)[0]])
        for m in SHARES
        if _parts(m)[0] != _parts(m)[1]
    }
    cells = defaultdict(list)
    for month, *counts in (
        latest_months()
        .filter(month__in=months)
        .annotate(**rests)
        .filter(small)
        .order_by()
        .values_list("month", *COLUMNS.values())
    ):
        cells[month].append(dict(zip(COLUMNS, counts, strict=True)))
    empty = dict.fromkeys(("sites", *COLUMNS), 0)
    periods = []
    for month in months:
        counts = sums.get(month, empty)
        periods.append(
            {
                "month": month.isoformat(),
                **{key: counts[key] or 0 for key in empty},
                "withheld": [m.key for m in SHARES if gives_a_site_away(m, cells[month], t)],
            }
        )
    return periods


def national_charts(periods, rules="anhoej"):
    """Each measure's chart over the months, as someone who may not see cases reads it."""
    if not periods:
        return []
    return [measures.chart(m, periods, "month", rules=rules) for m in measures.MEASURES]


def _cell(chart, period, i):
    """A point of a chart as a spreadsheet cell: its value, or Withheld where it would show a
    small number (a month without cases to count leaves the cell empty)."""
    value = chart["values"][i]
    if value is not None:
        return value if isinstance(value, int) else round(value, 1)
    measure = measures.BY_KEY[chart["key"]]
    if period[_parts(measure)[1]]:
        return Withheld(str(HIDDEN_FIGURE))
    return None


def spreadsheet(periods, charts):
    """The trends as rows for infra.spreadsheets: one row per month, each measure's point as
    its chart draws it, and the rule set the charts are read by."""
    by_key = {c["key"]: c for c in charts}
    columns = [Column(_("Month")), Column(_("Sites with cases"))]
    columns += [Column(str(m.label) + (" (%)" if m.percent else "")) for m in measures.MEASURES]
    columns.append(Column(_("Charts read by")))
    rows = [
        [
            datetime.date.fromisoformat(p["month"]),
            p["sites"],
            *(_cell(by_key[m.key], p, i) for m in measures.MEASURES),
            by_key[measures.MEASURES[0].key]["rules_name"],
        ]
        for i, p in enumerate(periods)
    ]
    return columns, [rows]
