"""The chart rules (dashboards.spc) and `manage.py spc_check`, against values worked out by hand
from the definitions (Anhøj & Olesen 2014; qicharts2's P, U and I charts; the IHI's four rules).
The working is in the comments, so a reader can redo it with pencil and paper."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dashboards.spc import (
    analyse,
    analyse_phases,
    binomial_quantile,
    crossings_min,
    longest_run_max,
    shift_points,
    trend_points,
)


def spc_check(monkeypatch, *series):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"series": list(series)})))
    out = io.StringIO()
    call_command("spc_check", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


# --- The limits of Anhøj's rules ------------------------------------------------------------


def test_binomial_quantile_is_the_smallest_k_whose_cumulative_reaches_p():
    # Binomial(9, 0.5): P(X ≤ 1) = (1 + 9) / 512 = 0.0195; P(X ≤ 2) = (1 + 9 + 36) / 512 = 0.0898.
    assert binomial_quantile(0.05, 9) == 2
    # Binomial(10, 0.5): P(X ≤ 1) = 11/1024 = 0.0107; P(X ≤ 2) = 56/1024 = 0.0547.
    assert binomial_quantile(0.05, 10) == 2
    # Binomial(27, 0.5): cumulative counts 1, 28, 379, 3304, 20854, 101584, 397594, 1285624,
    # 3505699 (k = 8), 8192524 (k = 9); 5 % of 2^27 = 6710886.4, first reached at k = 9.
    assert binomial_quantile(0.05, 27) == 9
    # Binomial(10, 0.5): P(X ≤ 7) = 968/1024 = 0.945; P(X ≤ 8) = 1013/1024 = 0.989.
    assert binomial_quantile(0.95, 10) == 8


def test_the_limits_of_the_runs_analysis_match_anhoejs_table():
    # round(log2 10) + 3 = round(3.32) + 3 = 6; round(log2 28) + 3 = round(4.81) + 3 = 8.
    assert (longest_run_max(10), crossings_min(10)) == (6, 2)
    assert (longest_run_max(28), crossings_min(28)) == (8, 9)
    # round(log2 16) + 3 = 7; Binomial(15, 0.5): P(X ≤ 3) = 576/32768 = 0.018,
    # P(X ≤ 4) = 1941/32768 = 0.059, so 4.
    assert (longest_run_max(16), crossings_min(16)) == (7, 4)


# --- Run charts, Anhøj's rules ---------------------------------------------------------------


def test_many_zeros_on_a_zero_median_are_not_counted_and_too_few_points_cannot_be_judged(
    monkeypatch,
):
    # Malmö's old chart: mostly empty weeks. 20 weeks, 13 of them 0 and 7 above.
    # Sorted, the 10th and 11th values are both 0, so the median is 0; the 13 zeros lie on it
    # and are not counted: 7 useful points, all above, one run of 7, no crossings.
    # round(log2 7) + 3 = round(2.81) + 3 = 6; Binomial(6, 0.5): P(X ≤ 0) = 1/64 = 0.016,
    # P(X ≤ 1) = 7/64 = 0.109, so at least 1 crossing. The raw analysis signals (7 > 6 and
    # 0 < 1), but 7 useful points are fewer than 10: the chart cannot judge yet.
    values = [0, 0, 1, 0, 2, 0, 0, 3, 1, 0, 0, 0, 2, 0, 1, 0, 0, 4, 0, 0]
    (result,) = spc_check(monkeypatch, {"values": values, "chart": "run", "rules": "anhoej"})
    assert result["median"] == 0
    assert result["useful"] == 7
    assert (result["longest_run"], result["longest_run_max"]) == (7, 6)
    assert (result["crossings"], result["crossings_min"]) == (0, 1)
    assert result["signal"] is True
    assert result["judgeable"] is False
    assert "lower" not in result and "shift" not in result


def test_points_on_the_median_are_skipped_and_random_variation_gives_no_signal(monkeypatch):
    # 16 points. Sorted: 2 2 3 3 3 4 4 4 4 4 5 5 5 6 6 7; the 8th and 9th are 4, the median.
    # The five 4s lie on it: 16 − 5 = 11 useful. Their sides in order (4s left out):
    # 3− 5+ 6+ 2− 7+ 3− 5+ 6+ 2− 5+ 3−  → runs 1,2,1,1,1,2,1,1,1: longest 2, 8 crossings.
    # Limits for 11: round(log2 11) + 3 = round(3.46) + 3 = 6; Binomial(10, 0.5) 5 % quantile
    # is 2 (see above). 2 ≤ 6 and 8 ≥ 2: no signal.
    values = [3, 5, 4, 6, 4, 2, 4, 7, 3, 5, 4, 6, 2, 5, 3, 4]
    (result,) = spc_check(monkeypatch, {"values": values})
    assert result == {
        "chart": "run",
        "rules": "anhoej",
        "median": 4,
        "useful": 11,
        "longest_run": 2,
        "longest_run_max": 6,
        "crossings": 8,
        "crossings_min": 2,
        "signal": False,
        "judgeable": True,
    }


def test_too_few_crossings_are_a_signal():
    # 14 points. Sorted: 1 1 1 2 2 2 5 5 5 6 6 6 6 7; 7th and 8th are 5: median 5. The three
    # 5s are on it: 11 useful. Six below (1 2 1 2 1 2), then 6 6 6 7 6 above: runs 6 and 5,
    # one crossing. Longest 6 is not above round(log2 11) + 3 = 6, but 1 crossing is fewer
    # than 2: a signal.
    chart = analyse([1, 2, 1, 2, 1, 2, 5, 6, 5, 6, 5, 6, 7, 6])
    assert (chart.centre, chart.useful, chart.longest_run, chart.crossings) == (5, 11, 6, 1)
    assert chart.signal and chart.judgeable


def test_a_long_run_is_a_signal_although_crossings_are_many():
    # 28 points: 4 6 4 6 4 6 4 6 4 6, then 7 8 7 8 7 8 7 8 7, then 1 2 1 2 1 2 1 2 1.
    # Counts: 1×5, 2×4, 4×5, 6×5, 7×5, 8×4; the 14th sorted is 4 and the 15th is 6: median 5,
    # no point on it, 28 useful. Nine alternating runs of 1 (4 6 … 4), then the last 6 and the
    # nine 7s and 8s above (a run of 10), then nine below: 11 runs, 10 crossings.
    # Limits for 28: longest run 8, crossings 9. 10 > 8: a signal; 10 crossings are enough.
    values = [4, 6] * 5 + [7, 8, 7, 8, 7, 8, 7, 8, 7] + [1, 2, 1, 2, 1, 2, 1, 2, 1]
    chart = analyse(values)
    assert (chart.centre, chart.useful) == (5, 28)
    assert (chart.longest_run, chart.longest_run_max) == (10, 8)
    assert (chart.crossings, chart.crossings_min) == (10, 9)
    assert chart.signal


def test_a_frozen_baseline_sets_the_median_from_its_first_points():
    # Baseline 1 2 3 4: median 2.5. Against it 1 and 2 lie below, 3 … 12 above: runs 2 and 10,
    # 12 useful; round(log2 12) + 3 = round(3.58) + 3 = 7 < 10: a signal.
    chart = analyse(list(range(1, 13)), freeze=4)
    assert (chart.centre, chart.useful, chart.longest_run, chart.frozen) == (2.5, 12, 10, 4)
    assert chart.signal


def test_each_phase_is_analysed_on_its_own():
    # Split before index 4: 1 1 2 2 (median 1.5) and 8 9 8 9 9 (median 9).
    before, after = analyse_phases([1, 1, 2, 2, 8, 9, 8, 9, 9], splits=[4])
    assert (before.centre, before.offset, len(before.values)) == (1.5, 0, 4)
    assert (after.centre, after.offset, after.useful) == (9, 4, 2)


# --- The IHI's rules -------------------------------------------------------------------------


def test_ihi_rules_add_shift_trend_and_runs_to_the_json(monkeypatch):
    # Same 16 points as above: median 4, 11 useful, 9 runs. No six on one side; the longest
    # rise or fall is three points (6 4 2, 2 4 7). Runs limits: too few below 2 + 1 = 3,
    # too many above the 95 % quantile of Binomial(10, 0.5) = 8, plus 1 = 9. 9 is not above 9.
    values = [3, 5, 4, 6, 4, 2, 4, 7, 3, 5, 4, 6, 2, 5, 3, 4]
    (result,) = spc_check(monkeypatch, {"values": values, "chart": "run", "rules": "ihi"})
    assert result["shift"] is False and result["trend"] is False
    assert (result["runs"], result["runs_min"], result["runs_max"]) == (9, 3, 9)
    assert result["signal"] is False


def test_six_points_on_one_side_are_a_shift_with_points_on_the_median_skipped():
    # Median of 5 5 5 3 5 5 5 1 1 1 1 1 1 3: sorted 1×6, 3×2, 5×6; 7th and 8th are 3: median 3.
    # Five above, one on the median (skipped, not marked), one more above: six, a shift.
    values = [5, 5, 5, 3, 5, 5, 5, 1, 1, 1, 1, 1, 1, 3]
    chart = analyse(values, rules="ihi")
    assert chart.centre == 3
    assert chart.shift == [True] * 3 + [False] + [True] * 9 + [False]
    assert chart.has_shift and chart.signal
    # Anhøj's rules on the same points: 12 useful, runs 6 and 6, 1 crossing; longest run limit
    # round(log2 12) + 3 = 7, crossings limit: Binomial(11, 0.5) P(X ≤ 2) = 67/2048 = 0.033,
    # P(X ≤ 3) = 232/2048 = 0.113, so 3. One crossing < 3: a signal there too.
    anhoej = analyse(values)
    assert (anhoej.longest_run, anhoej.crossings, anhoej.crossings_min) == (6, 1, 3)
    assert anhoej.signal and not anhoej.has_shift


def test_five_points_on_one_side_are_not_a_shift():
    assert not any(shift_points([5, 5, 5, 5, 5, 1, 5, 1], 3))


def test_five_points_going_up_are_a_trend_and_equal_neighbours_neither_add_nor_break():
    assert trend_points([1, 2, 3, 4, 5]) == [True] * 5
    assert not any(trend_points([1, 2, 3, 4, 2, 1]))
    assert not any(trend_points([1, 2, 2, 3, 4]))
    assert trend_points([1, 2, 2, 3, 4, 5]) == [True] * 6
    assert trend_points([1, 2, 9, 7, 5, 3, 1]) == [False, False, True, True, True, True, True]


# --- Control charts --------------------------------------------------------------------------


def test_p_chart_centre_limits_and_a_point_outside(monkeypatch):
    # y 1 1 1 1 6 of n 10 each: p̄ = 10/50 = 0.2. σ = √(0.2 × 0.8 / 10) = √0.016 = 0.126491;
    # 3σ = 0.379473. Lower 0.2 − 0.379473 < 0, clipped to 0; upper 0.579473.
    # 0.6 > 0.579473: the fifth point (index 4) is outside, a signal although 5 points are
    # too few for the runs analysis to judge.
    (result,) = spc_check(
        monkeypatch, {"values": [1, 1, 1, 1, 6], "denominators": [10] * 5, "chart": "p"}
    )
    assert result["centre"] == 0.2
    assert result["lower"] == [0.0] * 5
    assert result["upper"] == [0.579473] * 5
    assert result["outside"] == [4]
    assert result["signal"] is True and result["judgeable"] is False
    assert "median" not in result


def test_p_chart_limits_vary_with_n_and_are_clipped_to_0_and_1(monkeypatch):
    # y 5 5 5 5 1 of n 10 10 10 10 2: p̄ = 21/42 = 0.5, every point exactly on it (0 useful).
    # n = 10: σ = √(0.25/10) = 0.158114, 3σ = 0.474342: limits 0.025658 and 0.974342.
    # n = 2: σ = √(0.25/2) = 0.353553, 3σ = 1.06066: −0.56 clipped to 0, 1.56 clipped to 1.
    (result,) = spc_check(
        monkeypatch,
        {"values": [5, 5, 5, 5, 1], "denominators": [10, 10, 10, 10, 2], "chart": "p"},
    )
    assert result["centre"] == 0.5
    assert result["lower"] == [0.025658] * 4 + [0.0]
    assert result["upper"] == [0.974342] * 4 + [1.0]
    assert (result["useful"], result["longest_run"], result["crossings"]) == (0, 0, 0)
    assert result["signal"] is False


def test_u_chart_with_many_zeros(monkeypatch):
    # Events 0 0 0 0 8 over 1 unit each: ū = 8/5 = 1.6; σ = √(1.6/1) = 1.264911;
    # 3σ = 3.794733: lower 1.6 − 3.79 < 0, clipped to 0; upper 5.394733. 8 is outside.
    # Runs: four below 1.6, one above: 5 useful, longest 4, 1 crossing.
    (result,) = spc_check(
        monkeypatch, {"values": [0, 0, 0, 0, 8], "denominators": [1] * 5, "chart": "u"}
    )
    assert result["centre"] == 1.6
    assert result["lower"] == [0.0] * 5
    assert result["upper"] == [5.394733] * 5
    assert result["outside"] == [4]
    assert (result["useful"], result["longest_run"], result["crossings"]) == (5, 4, 1)


def test_u_chart_limits_per_point_follow_the_exposure():
    # Events 2 3 1 10 over 2 2 1 5: ū = 16/10 = 1.6; rates 1 1.5 1 2.
    # n = 2: 3√(1.6/2) = 3 × 0.894427 = 2.683282 → upper 4.283282; n = 1: 3 × 1.264911 =
    # 3.794733 → 5.394733; n = 5: 3√0.32 = 3 × 0.565685 = 1.697056 → 3.297056. Lower all 0.
    chart = analyse([2, 3, 1, 10], [2, 2, 1, 5], chart="u")
    assert chart.centre == pytest.approx(1.6)
    assert chart.values == [1.0, 1.5, 1.0, 2.0]
    assert chart.upper == pytest.approx([4.283282, 4.283282, 5.394733, 3.297056], abs=1e-6)
    assert chart.lower == [0.0] * 4


def test_i_chart_leaves_out_large_moving_ranges_as_qicharts2_does(monkeypatch):
    # Days 10 12 11 13 12 40 12 11 13 12: mean 146/10 = 14.6.
    # Moving ranges 2 1 2 1 28 28 1 2 1: mean 66/9 = 7.3333; 3.267 × 7.3333 = 23.958, so both
    # 28s are left out. The rest 2 1 2 1 1 2 1: mean 10/7 = 1.428571; σ = 1.428571 / 1.128 =
    # 1.266464; 3σ = 3.799392: limits 10.800608 and 18.399392. 10 (index 0) and 40 (index 5)
    # lie outside. Runs around 14.6: five below, one above, four below: 10 useful, longest 5,
    # 2 crossings; limits 6 and 2: no runs signal, but the points outside are one.
    values = [10, 12, 11, 13, 12, 40, 12, 11, 13, 12]
    (result,) = spc_check(monkeypatch, {"values": values, "chart": "i"})
    assert result["centre"] == 14.6
    assert result["lower"] == [10.800608] * 10
    assert result["upper"] == [18.399392] * 10
    assert result["outside"] == [0, 5]
    assert (result["useful"], result["longest_run"], result["crossings"]) == (10, 5, 2)
    assert (result["longest_run_max"], result["crossings_min"]) == (6, 2)
    assert result["signal"] is True and result["judgeable"] is True


def test_spc_check_refuses_what_it_cannot_read(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("not json"))
    with pytest.raises(CommandError):
        call_command("spc_check")
    for bad in (
        {"values": [1, 2], "chart": "p"},  # no denominators
        {"values": [1, 2], "chart": "x"},
        {"values": [1, 2], "rules": "western-electric"},
        {"values": ["a"]},
        {"values": [1, 2], "denominators": [1]},
    ):
        monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"series": [bad]})))
        with pytest.raises(CommandError):
            call_command("spc_check")
