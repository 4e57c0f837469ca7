"""Dates: ISO in both languages, never broken inside, written by one filter on every page."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
# Plain-text e-mails have no markup to keep a date whole. The steering group's PDF is drawn by
# its own template, in its own fixed layout, and so is a person's own copy of their data.
EXEMPT = ("/email/", "dashboards/site_pdf.html", "accounts/own_data_pdf.html")


def page_templates():
    for path in ROOT.glob("**/templates/**/*.html"):
        text = str(path)
        if ".venv" in text or any(part in text for part in EXEMPT):
            continue
        yield path


def test_no_page_writes_a_date_without_the_day_filter():
    offenders = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in page_templates()
        for m in re.finditer(r"\|date\b[^}%]*", p.read_text())
    ]
    assert not offenders, "write dates with |day (infra/templatetags/dates.py):\n" + "\n".join(
        offenders
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_date_is_iso_and_never_breaks_inside_in_either_language(language):
    template = Template("{{ d|day }} {{ t|day }} {{ none|day|default:'–' }}")
    with translation.override(language):
        html = template.render(
            Context({"d": datetime.date(2026, 12, 2), "t": datetime.datetime(2026, 12, 2, 9, 5)})
        )
    assert '<time class="text-nowrap" datetime="2026-12-02">2026-12-02</time>' in html
    assert 'datetime="2026-12-02T09:05">2026-12-02</time>' in html
    assert html.endswith("–")
    assert "Dec" not in html
