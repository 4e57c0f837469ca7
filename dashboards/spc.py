"""Statistical process control: the run and control charts improvement advisors read, with the
rules they learnt, so a chart in Triad can be checked against qicharts2 on the same data
(`manage.py spc_check`). Pure functions over lists of numbers; nothing here reads the database.

Charts
- run: the values (y / n when there are denominators) around their median.
- p: a proportion. Centre p̄ = Σy / Σn; per point σ = √(p̄(1 − p̄) / nᵢ); limits p̄ ± 3σ, clipped
  to 0–1.
- u: a rate (events per unit of exposure). Centre ū = Σy / Σn; σ = √(ū / nᵢ); lower limit
  clipped at 0.
- i: individuals (XmR) for a continuous measure. Centre: the mean. σ = mean moving range / 1.128,
  where moving ranges of 3.267 × their mean or more are left out first (Nelson 1982, as
  qicharts2 does); limits centre ± 3σ.

Rules
- anhoej (the default; Anhøj & Olesen 2014, qicharts2): points on the centre line are not
  counted. With n useful points, a run on one side longer than round(log2(n)) + 3, or fewer
  crossings of the centre line than the 5 % lower quantile of Binomial(n − 1, 0.5), is a
  signal. Control charts add points outside their limits.
- ihi (Provost & Murray, the IHI's four run-chart rules): a shift (six or more points in a row
  on one side of the median; points on it neither add nor break), a trend (five or more points
  going up, or going down; a point equal to the one before neither adds nor breaks), too few or
  too many runs, and, on control charts, points outside the limits. Runs are "too few" below
  crossings_min + 1 and "too many" above the 95 % quantile of the same binomial + 1, the
  binomial form of the runs table (a run is one more than the number of crossings).

The centre, σ and limits may be frozen on the first k points (a baseline): the runs analysis
then looks at every point against the frozen centre. A chart may also be split into phases,
each analysed on its own (`analyse_phases`).

With fewer than MIN_USEFUL useful points a chart cannot be judged: `judgeable` is False and
pages say so in words, while the raw analysis is still there for spc_check."""

import math
import statistics
from dataclasses import dataclass, field

CHARTS = ("run", "p", "u", "i")
RULES = ("anhoej", "ihi")
MIN_USEFUL = 10

SHIFT_POINTS = 6
TREND_POINTS = 5
# d2 for moving ranges of two, and the upper limit of a moving range in mean moving ranges.
D2 = 1.128
MR_LIMIT = 3.267


def binomial_quantile(p: float, n: int, prob: float = 0.5) -> int:
    """The smallest k with P(X ≤ k) ≥ p for X ~ Binomial(n, prob): R's qbinom, exactly."""
    if n <= 0:
        return 0
    total = 0.0
    for k in range(n + 1):
        total += math.comb(n, k) * prob**k * (1 - prob) ** (n - k)
        # A hair of tolerance, as R has, so a cumulative sum of exactly p is not missed.
        if total >= p * (1 - 64 * 2.220446e-16):
            return k
    return n


def longest_run_max(useful: int) -> int | None:
    return round(math.log2(useful)) + 3 if useful else None


def crossings_min(useful: int) -> int | None:
    return binomial_quantile(0.05, useful - 1) if useful else None


def sides(values, centre) -> list[int]:
    """+1 above, −1 below, 0 on the centre line or missing, per point."""
    return [0 if v is None or centre is None else (v > centre) - (v < centre) for v in values]


def runs_of(values, centre) -> list[int]:
    """Lengths of the runs on one side, points on the centre line left out."""
    runs, last = [], 0
    for side in sides(values, centre):
        if side == 0:
            continue
        if side == last:
            runs[-1] += 1
        else:
            runs.append(1)
            last = side
    return runs


def shift_points(values, centre) -> list[bool]:
    """Which points belong to a shift (SHIFT_POINTS or more on one side of `centre`). Points on
    the centre line neither add to a shift nor break it, and are not marked."""
    flags = [False] * len(values)
    run, side = [], 0
    for i, here in enumerate(sides(values, centre)):
        if here == 0:
            continue
        if here != side:
            _mark(flags, run, SHIFT_POINTS)
            run, side = [], here
        run.append(i)
    _mark(flags, run, SHIFT_POINTS)
    return flags


def _mark(flags, run, least):
    if len(run) >= least:
        for i in run:
            flags[i] = True


def trend_points(values) -> list[bool]:
    """Which points belong to a trend: TREND_POINTS or more going up, or going down. A point
    equal to the one before neither adds nor breaks; missing points are skipped."""
    flags = [False] * len(values)
    present = [i for i, v in enumerate(values) if v is not None]
    if not present:
        return flags
    run, direction = [present[0]], 0
    for prev, i in zip(present, present[1:], strict=False):
        step = (values[i] > values[prev]) - (values[i] < values[prev])
        if step == 0:
            continue
        if direction in (0, step):
            direction = step
            run.append(i)
            continue
        _mark_span(flags, run)
        # The turning point ends one run and starts the next.
        run, direction = [run[-1], i], step
    _mark_span(flags, run)
    return flags


def _mark_span(flags, run):
    if len(run) >= TREND_POINTS:
        for i in range(run[0], run[-1] + 1):
            flags[i] = True


@dataclass
class Analysis:
    """One chart (or one phase of one) as the rules read it."""

    chart: str
    rules: str
    values: list  # the plotted values: y, or y / n; None where n is 0 or the value missing
    centre: float | None
    lower: list | None = None  # per point, control charts only
    upper: list | None = None
    useful: int = 0
    longest_run: int = 0
    longest_run_max: int | None = None
    crossings: int = 0
    crossings_min: int | None = None
    outside: list = field(default_factory=list)  # per point: outside the limits
    shift: list = field(default_factory=list)  # per point (IHI)
    trend: list = field(default_factory=list)  # per point (IHI)
    runs: int = 0
    runs_min: int | None = None
    runs_max: int | None = None
    frozen: int | None = None  # the baseline's number of points, when frozen
    offset: int = 0  # where this phase starts in the whole series

    @property
    def judgeable(self) -> bool:
        return self.useful >= MIN_USEFUL

    @property
    def runs_signal(self) -> bool:
        """Anhøj's runs analysis: an unusually long run or unusually few crossings."""
        return bool(
            self.useful
            and (self.longest_run > self.longest_run_max or self.crossings < self.crossings_min)
        )

    @property
    def has_shift(self) -> bool:
        return any(self.shift)

    @property
    def has_trend(self) -> bool:
        return any(self.trend)

    @property
    def too_few_runs(self) -> bool:
        return bool(self.useful) and self.runs < self.runs_min

    @property
    def too_many_runs(self) -> bool:
        return bool(self.useful) and self.runs > self.runs_max

    @property
    def has_outside(self) -> bool:
        return any(self.outside)

    @property
    def signal(self) -> bool:
        if self.rules == "ihi":
            found = self.has_shift or self.has_trend or self.too_few_runs or self.too_many_runs
        else:
            found = self.runs_signal
        return bool(found or self.has_outside)

    @property
    def is_control(self) -> bool:
        return self.chart != "run"

    def as_json(self) -> dict:
        data = {
            "chart": self.chart,
            "rules": self.rules,
            "median" if self.chart == "run" else "centre": _round(self.centre),
            "useful": self.useful,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "crossings": self.crossings,
            "crossings_min": self.crossings_min,
            "signal": self.signal,
            "judgeable": self.judgeable,
        }
        if self.is_control:
            data["lower"] = [_round(v) for v in self.lower]
            data["upper"] = [_round(v) for v in self.upper]
            data["outside"] = [i for i, out in enumerate(self.outside) if out]
        if self.rules == "ihi":
            data["shift"] = self.has_shift
            data["trend"] = self.has_trend
            data["runs"] = self.runs
            data["runs_min"] = self.runs_min
            data["runs_max"] = self.runs_max
        if self.frozen:
            data["frozen"] = self.frozen
        return data


def _round(value):
    return None if value is None else round(value, 6)


def plotted(values, denominators=None) -> list:
    """The values drawn: y, or y / n per point (None where n is 0 or anything is missing)."""
    if denominators is None:
        return list(values)
    return [
        None if v is None or not n else float(v) / float(n)
        for v, n in zip(values, denominators, strict=True)
    ]


def _limits(chart, values, denominators, base):
    """(centre, lower, upper) of a chart whose baseline is the points in `base` (indices)."""
    if chart == "run":
        present = [values[i] for i in base if values[i] is not None]
        return (statistics.median(present) if present else None), None, None
    if chart in ("p", "u"):
        y = sum(values[i] * denominators[i] for i in base if values[i] is not None)
        n = sum(denominators[i] for i in base if values[i] is not None)
        centre = y / n if n else None
        lower, upper = [], []
        for d in denominators:
            if centre is None or not d:
                lower.append(None)
                upper.append(None)
                continue
            variance = centre * (1 - centre) / d if chart == "p" else centre / d
            sigma = math.sqrt(max(variance, 0.0))
            low, high = centre - 3 * sigma, centre + 3 * sigma
            lower.append(max(low, 0.0))
            upper.append(min(high, 1.0) if chart == "p" else high)
        return centre, lower, upper
    # i chart
    present = [values[i] for i in base if values[i] is not None]
    if not present:
        return None, [None] * len(values), [None] * len(values)
    centre = statistics.fmean(present)
    ranges = [
        abs(values[i] - values[j])
        for j, i in zip(base, base[1:], strict=False)
        if i == j + 1 and values[i] is not None and values[j] is not None
    ]
    if ranges:
        mean_range = statistics.fmean(ranges)
        kept = [r for r in ranges if r < MR_LIMIT * mean_range]
        mean_range = statistics.fmean(kept) if kept else mean_range
    else:
        mean_range = 0.0
    sigma = mean_range / D2
    n = len(values)
    return centre, [centre - 3 * sigma] * n, [centre + 3 * sigma] * n


def analyse(
    values, denominators=None, *, chart="run", rules="anhoej", freeze=None, _offset=0
) -> Analysis:
    """Analyse one series. `freeze`: compute the centre and limits from the first k points."""
    if chart not in CHARTS:
        raise ValueError(f"chart must be one of {CHARTS}")
    if rules not in RULES:
        raise ValueError(f"rules must be one of {RULES}")
    if chart in ("p", "u") and denominators is None:
        raise ValueError("p and u charts need denominators")
    points = plotted(values, denominators)
    dens = None if denominators is None else [float(d or 0) for d in denominators]
    if dens is not None and any(d < 0 for d in dens):
        raise ValueError("denominators cannot be negative")
    k = len(points) if not freeze else max(1, min(int(freeze), len(points)))
    centre, lower, upper = _limits(chart, points, dens, list(range(k)))

    run_lengths = runs_of(points, centre)
    useful = sum(run_lengths)
    analysis = Analysis(
        chart=chart,
        rules=rules,
        values=points,
        centre=centre,
        lower=lower,
        upper=upper,
        useful=useful,
        longest_run=max(run_lengths, default=0),
        longest_run_max=longest_run_max(useful),
        crossings=max(len(run_lengths) - 1, 0),
        crossings_min=crossings_min(useful),
        runs=len(run_lengths),
        frozen=k if freeze else None,
        offset=_offset,
    )
    if useful:
        analysis.runs_min = analysis.crossings_min + 1
        analysis.runs_max = binomial_quantile(0.95, useful - 1) + 1
    if lower is not None:
        analysis.outside = [
            v is not None
            and lo is not None
            and (v < lo - 1e-12 or v > hi + 1e-12)  # a point on a limit is inside
            for v, lo, hi in zip(points, lower, upper, strict=True)
        ]
    else:
        analysis.outside = [False] * len(points)
    if rules == "ihi":
        analysis.shift = shift_points(points, centre)
        analysis.trend = trend_points(points)
    else:
        analysis.shift = [False] * len(points)
        analysis.trend = [False] * len(points)
    return analysis


def analyse_phases(values, denominators=None, *, splits=(), **options) -> list[Analysis]:
    """One analysis per phase: the series split before each index in `splits`."""
    cuts = sorted({s for s in splits if 0 < s < len(values)})
    bounds = list(zip([0, *cuts], [*cuts, len(values)], strict=True))
    return [
        analyse(
            values[a:b],
            None if denominators is None else denominators[a:b],
            _offset=a,
            **options,
        )
        for a, b in bounds
    ]
