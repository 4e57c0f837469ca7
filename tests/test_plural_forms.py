"""Swedish plural forms agree with their count: every entry with a plural (ngettext, or
{% blocktranslate count %}) has both Swedish forms, keeps its placeholders, and a count of 1
gets the first form and 2 the second ("1 öppet", "2 öppna" — not "1 öppna")."""

import gettext
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/sv/LC_MESSAGES/django.mo") if ".venv" not in str(p)
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def plural_entries():
    for path in CATALOGUES:
        with path.open("rb") as f:
            catalogue = gettext.GNUTranslations(f)
        forms = {}
        for key, text in catalogue._catalog.items():
            if isinstance(key, tuple):
                forms.setdefault(key[0], {})[key[1]] = text
        for msgid, texts in forms.items():
            yield path.relative_to(ROOT), msgid, texts


ENTRIES = list(plural_entries())


def test_the_catalogues_have_plural_entries():
    assert CATALOGUES and len(ENTRIES) > 20


@pytest.mark.parametrize(("path", "msgid", "texts"), ENTRIES, ids=[e[1][:40] for e in ENTRIES])
def test_a_plural_entry_has_both_swedish_forms_and_count_1_and_2_pick_them(path, msgid, texts):
    assert texts.get(0) and texts.get(1), f"{path}: {msgid!r} lacks a Swedish form: {texts}"
    wanted = set(PLACEHOLDER.findall(msgid))
    for form in (0, 1):
        # A singular may say "ett" instead of the count; every other placeholder stays.
        missing = wanted - set(PLACEHOLDER.findall(texts[form])) - {"count", "n", "days"}
        assert not missing, f"{path}: {msgid!r} form {form} drops {missing}"
    with translation.override("sv"):
        assert translation.ngettext(msgid, msgid + " (plural)", 1) == texts[0]
        assert translation.ngettext(msgid, msgid + " (plural)", 2) == texts[1]


@pytest.mark.parametrize(
    ("open_", "closed", "expected"),
    [(1, 4, "1 öppet, 4 avslutade"), (2, 1, "2 öppna, 1 avslutat")],
)
def test_the_case_summary_agrees_with_its_counts(open_, closed, expected):
    template = Template(
        "{% load i18n small_numbers %}"
        "{% blocktranslate with open=o count n=o|plural_of %}{{ open }} open{% plural %}"
        "{{ open }} open{% endblocktranslate %}, {% blocktranslate with closed=c count "
        "n=c|plural_of %}{{ closed }} closed{% plural %}{{ closed }} closed{% endblocktranslate %}"
    )
    with translation.override("sv"):
        assert template.render(Context({"o": open_, "c": closed})) == expected


def test_the_summary_template_counts_each_figure_by_itself():
    text = (ROOT / "cases/templates/cases/includes/summary.html").read_text()
    assert "{{ open }} open, {{ closed }} closed" not in text
    assert text.count("|plural_of") >= 3
