"""{% small_numbers_note %}: the line under figures some of which are hidden, saying why."""

from django import template
from django.utils.translation import gettext as _

from ..disclosure import small_label, threshold

register = template.Library()


@register.simple_tag
def small_numbers_note():
    return _(
        "“%(small)s” stands for between one and %(most)s cases: so that no child can be "
        "recognised, small numbers are not shown to those who do not work with the cases. "
        "“%(hidden)s” marks a number held back so that a small one cannot be worked out "
        "from a total."
    ) % {"small": small_label(), "most": threshold() - 1, "hidden": _("hidden")}


@register.filter
def plural_of(figure):
    """The count a `{% blocktranslate count %}` needs for a figure: its value when shown
    exactly, else 2 — a range ("1–4") or "hidden" reads as a plural ("1–4 öppna")."""
    data = getattr(figure, "data", figure)
    if getattr(figure, "exact", True) and isinstance(data, int):
        return data
    return 2
