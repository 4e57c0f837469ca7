"""What a pytest run takes in, whatever its options: the browser journeys only when `-m` names
them (a marker in addopts would be replaced by any `-m` on the command line), and the suite
collects without pytest-xdist (`-p no:xdist`)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JOURNEYS = "tests/e2e/"
FUZZ = "tests/test_forms_fuzz.py"


def collected(*args):
    """The node ids `pytest --collect-only` lists with these arguments, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return [line for line in result.stdout.splitlines() if "::" in line]


FUZZED = f"{FUZZ}::test_forms_never_answer_500_and_show_their_errors"
SOME = (JOURNEYS, FUZZ, "tests/test_health.py")


@pytest.mark.parametrize(
    "marker",
    [(), ("-m", "not fuzz"), ("-m", "fuzz or not fuzz")],
    ids=["no -m", "not fuzz", "fuzz or not fuzz"],
)
def test_browser_journeys_are_left_out_unless_the_marker_expression_names_them(marker):
    ids = collected(*marker, *SOME)
    assert [i for i in ids if i.startswith("tests/test_health.py")], "the check sees nothing"
    assert not [i for i in ids if i.startswith(JOURNEYS)]
    fuzzed = [i for i in ids if i.startswith(FUZZED)]
    assert bool(fuzzed) is (marker != ("-m", "not fuzz"))


def test_make_e2e_takes_every_browser_journey_and_nothing_else():
    # The Makefile's command is `pytest tests/e2e -m e2e`; here with other tests beside.
    ids = collected("-m", "e2e", *SOME)
    modules = {i.split("::")[0] for i in ids}
    assert modules == {str(p.relative_to(ROOT)) for p in (ROOT / JOURNEYS).glob("test_*.py")}


def test_the_whole_suite_collects_without_xdist():
    """pytest-xdist's hooks are optional in tests/conftest.py; once, `-p no:xdist` stopped
    with an internal error (unknown hook)."""
    ids = collected("-p", "no:xdist")
    assert "tests/test_collection.py::test_the_whole_suite_collects_without_xdist" in ids
    assert [i for i in ids if i.startswith("tests/faults/")]
