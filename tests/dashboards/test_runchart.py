"""The run-chart rules, on their own (dashboards.runchart is pure)."""

from dashboards.runchart import analyse, shift_points, trend_points


def test_six_points_above_the_median_are_a_shift():
    values = [1, 1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 5]
    flags = shift_points(values, 3)
    assert flags == [True] * 12  # six below, then six above


def test_five_points_on_one_side_are_not_a_shift():
    values = [5, 5, 5, 5, 5, 1, 5, 1]
    assert not any(shift_points(values, 3))


def test_points_on_the_median_neither_add_to_nor_break_a_shift():
    # Five above, one on the median, one more above: six that count, so a shift.
    values = [5, 5, 5, 3, 5, 5, 5]
    assert shift_points(values, 3) == [True, True, True, False, True, True, True]
    # Four above, two on the median, one above: five that count, no shift.
    assert not any(shift_points([5, 5, 3, 3, 5, 5, 5], 3))


def test_a_trailing_point_on_the_median_is_not_marked():
    values = [5, 5, 5, 5, 5, 5, 3]
    assert shift_points(values, 3) == [True] * 6 + [False]


def test_five_points_going_up_are_a_trend():
    assert trend_points([1, 2, 3, 4, 5]) == [True] * 5


def test_four_points_going_up_are_not_a_trend():
    assert not any(trend_points([1, 2, 3, 4, 2, 1]))


def test_equal_neighbours_neither_add_to_nor_break_a_trend():
    # 1, 2, 2, 3, 4: only four distinct steps of the run count, so no trend…
    assert not any(trend_points([1, 2, 2, 3, 4]))
    # …but 1, 2, 2, 3, 4, 5 has five that count.
    assert trend_points([1, 2, 2, 3, 4, 5]) == [True] * 6


def test_a_falling_trend_after_a_turn_is_marked_from_the_turning_point():
    values = [1, 2, 9, 7, 5, 3, 1]
    assert trend_points(values) == [False, False, True, True, True, True, True]


def test_analyse_gives_the_median_and_both_rules():
    chart = analyse([2, 2, 2, 2, 2, 2, 8, 8, 8, 8, 8, 8])
    assert chart.median == 5
    assert chart.has_shift
    assert not chart.has_trend


def test_analyse_of_no_weeks_is_empty():
    chart = analyse([])
    assert chart.median is None and not chart.has_shift and not chart.has_trend
