"""A measure's points as a table (dashboards/_measure.html): the rows are written in one pass by
`{% measure_rows %}` and must read exactly as the template language wrote them cell by cell —
numbers in the reader's language, an empty point as a dash, the limits on control charts only,
the rules a point breaks named and escaped."""

import pytest
from django.template import Context, engines
from django.utils import translation

from dashboards.templatetags.measure_table import measure_rows

# The rows as the template wrote them before, cell by cell: the reference.
CELL_BY_CELL = (
    "{% for row in c.rows %}<tr><td>{{ row.label }}</td>"
    '<td class="text-end">{{ row.value|floatformat:"-1"|default:"–" }}</td>'
    '<td class="text-end">{{ row.centre|floatformat:"-1"|default:"–" }}</td>'
    '{% if c.chart != "run" %}<td class="text-end">{{ row.lower|floatformat:"-1"|default:"–" }}</td>'
    '<td class="text-end">{{ row.upper|floatformat:"-1"|default:"–" }}</td>{% endif %}'
    '<td>{{ row.rules|join:", " }}</td></tr>{% endfor %}'
)
ONE_PASS = "{% load measure_table %}{% measure_rows c %}"

ROWS = [
    {"label": "2026-01-05", "value": 4.7143, "centre": 3.5, "lower": 0.0, "upper": 12345.25,
     "rules": []},
    {"label": "2026-01-12", "value": None, "centre": 3.5, "lower": None, "upper": None,
     "rules": ["shift", "trend"]},
    {"label": "2026-01-19", "value": 12, "centre": 3, "lower": -1.5, "upper": 1e-05,
     "rules": ["<outside> & beyond"]},
    {"label": "<b>2026-01</b>", "value": 0, "centre": 1234567, "lower": 2.0, "upper": 7,
     "rules": ["outside the limits"]},
]  # fmt: skip


def render(source, chart):
    return engines["django"].from_string(source).render({"c": chart})


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("kind", ["run", "i", "p"])
def test_rows_read_as_the_template_wrote_them(language, kind):
    chart = {"chart": kind, "rows": ROWS}
    with translation.override(language):
        assert render(ONE_PASS, chart) == render(CELL_BY_CELL, chart)


def test_numbers_in_the_readers_language_limits_on_control_charts_only():
    with translation.override("sv"):
        control = measure_rows(Context(), {"chart": "i", "rows": ROWS[:1]})
        run = measure_rows(Context(), {"chart": "run", "rows": ROWS[:1]})
    with translation.override("en"):
        english = measure_rows(Context(), {"chart": "i", "rows": ROWS[:1]})
    assert control == (
        '<tr><td>2026-01-05</td><td class="text-end">4,7</td><td class="text-end">3,5</td>'
        '<td class="text-end">0</td><td class="text-end">12345,3</td><td></td></tr>'
    )
    assert run == (
        '<tr><td>2026-01-05</td><td class="text-end">4,7</td><td class="text-end">3,5</td>'
        "<td></td></tr>"
    )
    assert '<td class="text-end">4.7</td>' in english


def test_an_empty_point_is_a_dash_and_rules_are_escaped():
    with translation.override("en"):
        html = measure_rows(Context(), {"chart": "i", "rows": ROWS[1:3]})
    assert '<td class="text-end">–</td>' in html
    assert "<td>shift, trend</td>" in html
    assert "<td>&lt;outside&gt; &amp; beyond</td>" in html
