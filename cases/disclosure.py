"""Small numbers are hidden from everyone who may not see the cases.

A count of one to four children in a breakdown finer than the whole site — by concern, school,
school year, who raised it, status, referral destination, practical test (a single test's
figures are a breakdown) — can point to a child for someone who knows the school. Such a count
shows as "1–4" (TRIAD_SMALL_NUMBER_THRESHOLD, default 5), and nothing computed from it (a share,
a median, minutes) is shown. The whole site's count of cases and its counts over time (cases per
week) are not breakdowns and stay exact.

`disclose()` is the one function that applies the rule: every page, chart, export and PDF that
shows such figures passes them through it with the viewer. The site's project leads and
working-group members get every figure exact; everyone else — steering members, coordinators,
other sites in the exchange — and everything that leaves the site (the national dashboard and
its exports, the steering group's PDF, the printed test) gets the hidden ones.

No total gives a hidden count away. When the counts of a breakdown add up to a total the reader
sees (with what is left over, such as "raised by someone else" beside "raised by the child"),
a small count never stands hidden alone: the next-smallest count is hidden too ("hidden"), and
more, until no hidden count of one to four can be worked out from the total, even by someone
who knows this rule (tests/cases/test_disclosure.py tries every table). If no count is left to
hide, the whole breakdown is withheld. The total itself is never hidden for this: it is shown
elsewhere (the site's count of cases on every page), so hiding it would protect nothing. When a
group is hidden, so is everything within it (a hidden "closed" hides resolved and referred)."""

import math

from django.conf import settings
from django.utils.translation import gettext as _

from pilots.models import Role

EXACT, SMALL, HIDDEN = "exact", "small", "hidden"
# The roles that see a site's cases, and so its exact figures (see SiteAccess.can_see_cases).
EXACT_ROLES = frozenset({Role.LEAD, Role.WORKING})
# What a breakdown leaves over: counted with the cells, never shown.
REST = object()


def threshold() -> int:
    return settings.TRIAD_SMALL_NUMBER_THRESHOLD


def sees_exact(viewer, site=None) -> bool:
    """Whether the viewer sees the site's figures exact. `viewer` is the person's SiteAccess,
    their roles at the site (a Role or a set of them), or None for figures that leave the site
    (national pages, exports, the steering group's PDF, a printed test)."""
    if viewer is None:
        return False
    if hasattr(viewer, "can_see_cases"):
        return (site is None or viewer.site.pk == site.pk) and viewer.can_see_cases()
    roles = {viewer} if isinstance(viewer, str) else set(viewer)
    return bool(roles & EXACT_ROLES)


def _number(value):
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return str(value)


class Figure:
    """A number as its reader sees it: exact, "1–4", or hidden. The exact value of a hidden
    figure cannot be read from it: `data` (for charts and spreadsheets) is None then."""

    __slots__ = ("_value", "state")

    def __init__(self, value, state=EXACT):
        self._value = value
        self.state = state

    @property
    def exact(self):
        return self.state == EXACT

    @property
    def hidden(self):
        return self.state != EXACT

    @property
    def data(self):
        """The number for a chart or a spreadsheet cell: None when it is not shown."""
        return self._value if self.exact else None

    @property
    def cell(self):
        """For a spreadsheet: the number (empty if there is none), or the text shown instead."""
        if self.exact:
            return "" if self._value is None else self._value
        return str(self)

    def percent(self):
        return f"{self} %" if self.exact and self._value is not None else str(self)

    def __str__(self):
        if self.state == SMALL:
            return small_label()
        if self.state == HIDDEN:
            return _("hidden")
        return "–" if self._value is None else _number(self._value)

    def __bool__(self):
        return self.hidden or bool(self._value)

    def __eq__(self, other):
        if isinstance(other, Figure):
            return (self.state, self.data) == (other.state, other.data)
        if isinstance(other, str):
            return str(self) == other
        return self.exact and self._value == other

    def __hash__(self):
        return hash((self.state, self.data))

    def __repr__(self):
        return f"<Figure {self}>"


def small_label():
    t = threshold()
    return "1" if t <= 2 else f"1–{t - 1}"


def exact(value) -> Figure:
    return Figure(value)


HIDDEN_FIGURE = Figure(None, HIDDEN)


def bounds(value, t):
    """What a reader who knows this rule can tell of a hidden count from how it is hidden."""
    if value == 0:
        return (0, 0)
    return (1, t - 1) if value < t else (t, math.inf)


def gives_away(hidden, t, known=None) -> bool:
    """Whether the sum of the hidden counts ({key: count}), which the reader knows from a total,
    lets them work out any hidden count of one to t-1. `known` may narrow what the reader
    knows of a count ({key: (lowest, highest)}) from elsewhere."""
    b = {k: (known or {}).get(k) or bounds(v, t) for k, v in hidden.items()}
    known_sum = sum(hidden.values())
    lowest, highest = sum(lo for lo, _hi in b.values()), sum(hi for _lo, hi in b.values())
    for key, value in hidden.items():
        if not 0 < value < t:
            continue
        lo, hi = b[key]
        if max(lo, known_sum - (highest - hi)) >= min(hi, known_sum - (lowest - lo)):
            return True
    return False


def _states(values, total, t):
    """{key: state} for one breakdown; `total` as in `disclose`."""
    states = {k: SMALL if 0 < v < t else EXACT for k, v in values.items()}
    # Counts that add up to more than the total overlap: they are not its parts.
    if total is None or sum(values.values()) > total:
        return states
    cells = {**values, REST: total - sum(values.values())}
    if not any(0 < v < t for v in cells.values()):
        return states
    hidden = {k for k, v in cells.items() if 0 < v < t} | {REST}
    # Beside a small count, always one of t or more if there is one: were it hidden only when
    # the sum gives the small one away, its being hidden would tell that the sum does.
    big = any(v >= t for v in cells.values())
    while (big and all(cells[k] < t for k in hidden)) or gives_away(
        {k: cells[k] for k in hidden}, t, _known(cells, hidden, states, t)
    ):
        shown = [(v, k) for k, v in values.items() if k not in hidden and v > 0]
        if not shown:
            return dict.fromkeys(values, HIDDEN)  # withheld: nothing is left to hide
        # The smallest, with every count equal to it: which of equals went would tell.
        smallest = min(v for v, _k in shown)
        for v, key in shown:
            if v == smallest:
                hidden.add(key)
                states[key] = HIDDEN
    return states


def _known(cells, hidden, states, t):
    """What a reader who knows the rule can tell of each count hidden to protect another: it
    is at least t, and smaller than every count still shown (the smallest go first)."""
    shown = [v for k, v in cells.items() if k not in hidden and v > 0]
    ceiling = min(shown, default=math.inf) - 1
    return {k: (t, max(t, ceiling)) for k in hidden if k is not REST and states.get(k) == HIDDEN}


def _within_hidden(value, t):
    if not value:
        return EXACT
    return SMALL if value < t else HIDDEN


def disclose(counts, *, viewer, site=None, of=None) -> dict:
    """THE rule: {key: count} as `viewer` may see it, {key: Figure}.

    `of` says what the counts are part of. None: they overlap or add up to nothing the reader
    sees (concerns: a case may have several). An int or an exact Figure: a total the reader
    sees; the counts are disjoint parts of it, and what they leave over counts as one more
    (unshown) part. A hidden Figure: the group is hidden, so are its parts."""
    if sees_exact(viewer, site) or threshold() <= 1:
        return {k: Figure(v) for k, v in counts.items()}
    t = threshold()
    if isinstance(of, Figure):
        if of.hidden:
            return {k: Figure(v, _within_hidden(v, t)) for k, v in counts.items()}
        of = of.data
    states = _states(counts, of, t)
    return {k: Figure(v, states[k]) for k, v in counts.items()}


def share(part: Figure, whole: Figure) -> Figure:
    """A whole percentage of two figures, shown only when both are."""
    if part.hidden or whole.hidden:
        return HIDDEN_FIGURE
    return Figure(round(100 * part.data / whole.data) if whole.data else None)


def computed(value, base: Figure) -> Figure:
    """A figure computed from a group of cases (a median, minutes): shown when the group's
    count is."""
    return HIDDEN_FIGURE if base.hidden else Figure(value)


def case_group(metrics, *, viewer, site=None, total=None) -> dict:
    """The figures of one group of cases (a site, a starting point, a test) as the viewer may
    see them, each a Figure. `metrics` holds the counts total, open, resolved, referred,
    self_referrals, sip, with_consent and with_intervention, and median_days. `total` is the
    group's count as its own breakdown shows it (a test among the site's tests); None for the
    whole site, whose count is exact."""
    m = metrics
    n = Figure(m["total"]) if total is None else total

    def part(counts, of):
        return disclose(counts, viewer=viewer, site=site, of=of)

    figures = {"total": n}
    figures |= part({"open": m["open"], "closed": m["total"] - m["open"]}, n)
    figures |= part({"resolved": m["resolved"], "referred": m["referred"]}, figures["closed"])
    for key in ("self_referrals", "sip", "with_consent"):
        figures |= part({key: m[key]}, n)
    # Not shown itself, so what it leaves over is not known: it only decides the median's fate.
    figures |= part({"with_intervention": m["with_intervention"]}, n if n.hidden else None)
    figures["median_days"] = computed(m["median_days"], figures["with_intervention"])
    figures["self_referral_share"] = share(figures["self_referrals"], n)
    figures["resolved_share"] = share(figures["resolved"], figures["closed"])
    figures["referred_share"] = share(figures["referred"], figures["closed"])
    figures["sip_share"] = share(figures["sip"], n)
    figures["consent_share"] = share(figures["with_consent"], n)
    return figures


def ordered(rows):
    """(label, Figure) rows, largest shown first; hidden ones after, by label, so their order
    says nothing of their size."""
    return sorted(rows, key=lambda r: (r[1].hidden, -(r[1].data or 0), str(r[0])))
