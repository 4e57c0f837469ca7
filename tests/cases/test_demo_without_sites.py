"""The demo's casework on a database without the demo's sites: in a module of its own, since
tests/cases/test_demo.py keeps its seeded sites for the whole module (tests/once.py)."""

import io

from cases.models import Case
from demo.programme import casework as demo


def test_missing_sites_are_skipped_and_said(db):
    out = io.StringIO()
    demo.seed(out)
    assert "skipped" in out.getvalue()
    assert not Case.objects.exists()
