"""The run-chart rules improvement teams read a run chart by (IHI's rules for run charts):

- a shift: six or more consecutive points all above or all below the median. Points on the
  median neither add to a shift nor break it;
- a trend: five or more consecutive points all going up or all going down. A point equal to
  the one before neither adds to a trend nor breaks it.

Pure functions over a list of numbers, so the rules can be tested on their own."""

import statistics
from dataclasses import dataclass

SHIFT_POINTS = 6
TREND_POINTS = 5


@dataclass(frozen=True)
class RunChart:
    values: list
    median: float | None
    shift: list  # one bool per point: part of a shift
    trend: list  # one bool per point: part of a trend

    @property
    def has_shift(self):
        return any(self.shift)

    @property
    def has_trend(self):
        return any(self.trend)


def shift_points(values, median) -> list[bool]:
    """Which points belong to a shift around `median`."""
    flags = [False] * len(values)
    run, side = [], 0
    for i, value in enumerate(values):
        here = (value > median) - (value < median)
        if here == 0:
            # On the median: skipped, but it lies inside the run if the run goes on.
            if run:
                run.append(i)
            continue
        if here != side:
            _mark_shift(flags, run, values, median)
            run, side = [], here
        run.append(i)
    _mark_shift(flags, run, values, median)
    return flags


def _mark_shift(flags, run, values, median):
    # Trailing points on the median are not part of the run.
    while run and values[run[-1]] == median:
        run.pop()
    counted = [i for i in run if values[i] != median]
    if len(counted) >= SHIFT_POINTS:
        # Only the points that count are marked; those on the median belong to no side.
        for i in counted:
            flags[i] = True


def trend_points(values) -> list[bool]:
    """Which points belong to a trend (five or more points going one way)."""
    flags = [False] * len(values)
    if not values:
        return flags
    run, direction = [0], 0
    for i in range(1, len(values)):
        step = (values[i] > values[i - 1]) - (values[i] < values[i - 1])
        if step == 0:
            # Equal to the one before: neither adds nor breaks.
            continue
        if direction in (0, step):
            direction = step
            run.append(i)
            continue
        _mark_trend(flags, run)
        # The turning point ends one run and starts the next.
        run, direction = [run[-1], i], step
    _mark_trend(flags, run)
    return flags


def _mark_trend(flags, run):
    if len(run) >= TREND_POINTS:
        for i in range(run[0], run[-1] + 1):
            flags[i] = True


def analyse(values) -> RunChart:
    values = list(values)
    if not values:
        return RunChart(values=[], median=None, shift=[], trend=[])
    median = statistics.median(values)
    return RunChart(
        values=values,
        median=median,
        shift=shift_points(values, median),
        trend=trend_points(values),
    )
