"""The rule that hides small numbers (cases/disclosure.py), on its own: who sees exact figures,
what "1–4" and "hidden" stand for, and that no total gives a hidden count away — tried on
every table of two and three counts, as a reader who knows the rule would try them."""

import itertools

import pytest

from cases.disclosure import Figure, case_group, disclose, sees_exact, share
from pilots.models import PilotSite, Role
from pilots.scoping import SiteAccess

SITE, OTHER = PilotSite(pk=1), PilotSite(pk=2)


def shown(counts, of=None, viewer=None):
    return {k: str(f) for k, f in disclose(counts, viewer=viewer, site=SITE, of=of).items()}


def access(*roles, site=SITE, coordinator=False):
    return SiteAccess(site=site, roles=frozenset(roles), is_coordinator=coordinator)


@pytest.mark.parametrize(
    "viewer,exact",
    [
        (access(Role.LEAD), True),
        (access(Role.WORKING), True),
        (access(Role.STEERING), False),
        (access(coordinator=True), False),
        (access(Role.LEAD, site=OTHER), False),  # a lead of another site (the exchange)
        (Role.LEAD, True),
        ({Role.STEERING, Role.WORKING}, True),
        ({Role.STEERING}, False),
        (None, False),  # the national pages, exports, the PDF, a printed test
    ],
)
def test_only_those_who_work_with_the_sites_cases_see_its_exact_figures(viewer, exact):
    assert sees_exact(viewer, SITE) is exact
    assert shown({"sip": 1}, viewer=viewer) == {"sip": "1" if exact else "1–4"}


def test_one_to_four_shows_as_one_to_four_and_nothing_else_is_hidden_alone():
    assert shown({"none": 0, "one": 1, "four": 4, "five": 5, "many": 80}) == {
        "none": "0",
        "one": "1–4",
        "four": "1–4",
        "five": "5",
        "many": "80",
    }


def test_the_threshold_is_a_setting(settings):
    settings.TRIAD_SMALL_NUMBER_THRESHOLD = 10
    assert shown({"a": 9, "b": 10}) == {"a": "1–9", "b": "10"}


def test_a_total_beside_a_single_hidden_count_costs_the_next_smallest_count_too():
    # 1 + 6 + 9 = 16: shown, the 6 and the 9 would give the 1 away.
    assert shown({"a": 1, "b": 6, "c": 9}, of=16) == {"a": "1–4", "b": "dolt", "c": "9"}
    # What is left over (raised by someone else) counts: 48 of 50 would give away the 2.
    assert shown({"child": 48}, of=50) == {"child": "dolt"}
    assert shown({"child": 2}, of=50) == {"child": "1–4"}
    # Counts that overlap (a case may have several concerns) add up to no total.
    assert shown({"worry": 5, "self_harm": 1}, of=5) == {"worry": "5", "self_harm": "1–4"}


def test_a_breakdown_with_nothing_left_to_hide_is_withheld():
    # Five of six open: the one closed cannot hide behind anything but the five.
    assert shown({"open": 5, "closed": 1}, of=6) == {"open": "dolt", "closed": "dolt"}


def test_within_a_hidden_group_everything_is_hidden():
    group = Figure(3, "small")
    assert shown({"resolved": 0, "referred": 3}, of=group) == {"resolved": "0", "referred": "1–4"}
    hidden = Figure(12, "hidden")
    assert shown({"resolved": 7, "referred": 5}, of=hidden) == {
        "resolved": "dolt",
        "referred": "dolt",
    }


def test_shares_and_medians_from_small_counts_are_not_shown():
    group = case_group(
        {
            "total": 20,
            "open": 10,
            "resolved": 8,
            "referred": 2,
            "self_referrals": 3,
            "sip": 0,
            "with_consent": 12,
            "with_intervention": 4,
            "median_days": 5.0,
        },
        viewer=None,
    )
    assert str(group["total"]) == "20"  # a whole site's count is exact
    assert str(group["self_referral_share"]) == "dolt"
    assert str(group["median_days"]) == "dolt"  # from four cases
    assert str(group["referred"]) == "1–4" and str(group["referred_share"]) == "dolt"
    assert str(group["resolved"]) == "dolt"  # 8 of the 10 closed would give the 2 away
    assert group["consent_share"].percent() == "60 %"
    assert share(Figure(1), Figure(0)).data is None


def test_chart_data_carries_no_hidden_number():
    figures = disclose({"a": 3, "b": 7}, viewer=None, site=SITE, of=10)
    assert [f.data for f in figures.values()] == [None, None]
    assert [f.cell for f in figures.values()] == ["1–4", "dolt"]


def _every_table(cells, total):
    """{what the reader sees: every table (with what is left over) that shows so}."""
    seen = {}
    for counts in itertools.product(range(total + 1), repeat=cells):
        if sum(counts) <= total:
            view = tuple(shown(dict(enumerate(counts)), of=total).values())
            seen.setdefault(view, []).append((*counts, total - sum(counts)))
    return seen


@pytest.mark.parametrize("cells,largest_total", [(2, 24), (3, 13)])
def test_no_small_count_can_be_worked_out_by_a_reader_who_knows_the_rule(cells, largest_total):
    """For every total and every table of that many counts, the reader lists every table that
    would look the same; a count of one to four must differ between them."""
    for total in range(largest_total + 1):
        for view, tables in _every_table(cells, total).items():
            for i in range(cells + 1):
                possible = {table[i] for table in tables}
                assert not (len(possible) == 1 and 0 < min(possible) < 5), (total, view, tables)
