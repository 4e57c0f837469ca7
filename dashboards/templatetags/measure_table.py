"""A measure's points as table rows (dashboards/_measure.html), written in one pass.

Numbers as `floatformat:"-1"` writes them: a decimal comma in Swedish and at most one decimal.

A site's chart over five years has 260 points and a page shows five charts: rendered cell by
cell through the template language, with each number localised on its own, the table cost
more than the rest of the page. Here the number format is read once per table; the rows are
the same markup, escaped the same way."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.conf import settings
from django.utils import formats, numberformat
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

DASH = "–"  # an empty cell
TENTH = Decimal("0.1")


def number_writer(use_l10n):
    """A function writing a number as `formats.localize` does in the current language, with
    the language's separators read once."""
    if use_l10n is None:
        use_l10n = True
    lang = get_language() if use_l10n else None
    decimal_sep = formats.get_format("DECIMAL_SEPARATOR", lang, use_l10n=use_l10n)
    grouping = formats.get_format("NUMBER_GROUPING", lang, use_l10n=use_l10n)
    thousand_sep = formats.get_format("THOUSAND_SEPARATOR", lang, use_l10n=use_l10n)
    grouped = use_l10n and settings.USE_THOUSAND_SEPARATOR and grouping != 0

    def write(value):
        if value is None:
            return DASH
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return conditional_escape(formats.localize(value, use_l10n=use_l10n))
        # As `floatformat:"-1"`: a whole number without decimals, any other with one, rounded
        # half up.
        number = Decimal(repr(value))
        if number == number.to_integral_value():
            number, places = int(number), 0
            if not grouped:
                return str(number)
        else:
            number, places = number.quantize(TENTH, ROUND_HALF_UP), 1
        return conditional_escape(
            numberformat.format(
                number, decimal_sep, places, grouping, thousand_sep, use_l10n=use_l10n
            )
        )

    return write


@register.simple_tag(takes_context=True)
def measure_rows(context, chart):
    """The <tr> of each point: period, value, centre line, the limits (not on a run chart) and
    the rules the point breaks."""
    write = number_writer(context.use_l10n)
    limits = chart["chart"] != "run"
    out = []
    for row in chart["rows"]:
        cells = [
            "<tr><td>",
            conditional_escape(row["label"]),
            '</td><td class="text-end">',
            write(row["value"]),
            '</td><td class="text-end">',
            write(row["centre"]),
        ]
        if limits:
            cells += [
                '</td><td class="text-end">',
                write(row["lower"]),
                '</td><td class="text-end">',
                write(row["upper"]),
            ]
        cells += ["</td><td>", ", ".join(conditional_escape(r) for r in row["rules"]), "</td></tr>"]
        out.append("".join(cells))
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above
