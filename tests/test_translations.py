"""Swedish first: every catalogue is complete and every string in the code is in a catalogue."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/sv/LC_MESSAGES/django.po") if ".venv" not in p.parts
)
# The apps with their own catalogue (the Makefile's CATALOGUE_APPS); templates/ and config/ use
# locale/. demo/ holds no interface text.
APPS = ["infra", "pilots", "accounts", "cases", "workshops", "dashboards", "exchange"]
# (where makemessages runs, what it must leave out, the catalogue it writes)
SOURCES = [(ROOT / app, [], ROOT / app / "locale/sv/LC_MESSAGES/django.po") for app in APPS] + [
    (
        ROOT,
        [".venv/*", "tests/*", "demo/*", *(f"{app}/*" for app in APPS)],
        ROOT / "locale/sv/LC_MESSAGES/django.po",
    ),
]


def msgids(po: Path) -> set[str]:
    """The msgids of a catalogue (multi-line ids joined), without the header entry."""
    ids, current, in_id = set(), [], False
    for line in po.read_text().splitlines():
        if line.startswith("msgid "):
            current, in_id = [line[6:]], True
        elif in_id and line.startswith('"'):
            current.append(line)
        else:
            if in_id:
                ids.add("".join(s.strip()[1:-1] for s in current))
            in_id = False
    return ids - {""}


def test_there_is_a_swedish_catalogue_for_each_app_and_for_the_templates():
    assert {p.relative_to(ROOT).parts[0] for p in CATALOGUES} >= {"pilots", "locale"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_swedish_catalogue_is_complete(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr
    assert "fuzzy" not in stats and "untranslated" not in stats, f"{po}: {stats}"


@pytest.mark.parametrize("source,ignore,po", SOURCES, ids=lambda v: str(v)[-40:])
def test_every_translatable_string_is_in_the_catalogue(source, ignore, po, tmp_path):
    if not po.exists():
        pytest.fail(f"{po.relative_to(ROOT)} is missing: run `make messages`")
    work = tmp_path / "tree"
    shutil.copytree(
        source,
        work,
        ignore=shutil.ignore_patterns(".venv", "__pycache__", "*.mo", "node_modules", "var"),
    )
    args = [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "sv", "-v0"]
    for pattern in ignore:
        args.append(f"--ignore={pattern}")
    result = subprocess.run(args, cwd=work, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    fresh = work / po.relative_to(source)
    missing = msgids(fresh) - msgids(po)
    assert not missing, (
        f"not in {po.relative_to(ROOT)} (run `make messages`): {sorted(missing)[:20]}"
    )


def test_python_strings_use_placeholders_not_fstrings_inside_gettext():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "migrations" in path.parts:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b_\(\s*f[\"']|gettext(_lazy)?\(\s*f[\"']", line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert not offenders


def entries(po: Path) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """{(msgctxt, msgid): msgstrs} of a catalogue, without the header and obsolete (#~) entries."""
    found = {}
    for block in po.read_text().split("\n\n"):
        fields, key = {}, None
        for line in block.splitlines():
            if line.startswith('"') and key:
                fields[key] += line[1:-1]
            elif not line.startswith("#") and (m := re.match(r'(\S+) "(.*)"$', line)):
                key, fields[key] = m[1], m[2]
        if fields.get("msgid"):
            key = (fields.get("msgctxt"), fields["msgid"])
            found[key] = tuple(v for k, v in fields.items() if k.startswith("msgstr"))
    return found


def test_no_string_is_translated_differently_by_two_catalogues():
    # Django merges the catalogues into one, so for a msgid (in the same context) the first
    # app in INSTALLED_APPS wins and the others silently show its wording: "Open" as a
    # case status read "Öppna" (the verb, from pilots). Give such strings a context or
    # agree on one wording.
    seen: dict[tuple[str | None, str], dict[tuple[str, ...], list[str]]] = {}
    for po in CATALOGUES:
        for key, msgstrs in entries(po).items():
            seen.setdefault(key, {}).setdefault(msgstrs, []).append(po.relative_to(ROOT).parts[0])
    clashes = [
        f"{msgid!r}"
        + (f" (context {ctx!r})" if ctx else "")
        + ": "
        + "; ".join(f"{'/'.join(s)!r} in {', '.join(apps)}" for s, apps in by_msgstr.items())
        for (ctx, msgid), by_msgstr in seen.items()
        if len(by_msgstr) > 1
    ]
    assert not clashes, "translated differently by different catalogues:\n" + "\n".join(clashes)


def test_no_app_listed_before_ours_overrides_our_wording():
    # The same merge puts allauth, django_tables2 and Django's own apps, listed before ours in
    # INSTALLED_APPS, above our catalogues: the case timeline's "Note" read "Information"
    # (allauth) and an intervention's "Sessions" "Sessioner" (django.contrib.sessions).
    # Needs compiled catalogues (`make compilemessages`), as the pages do.
    from django.utils import translation

    shown, text = translation.trans_real.translation("sv"), lambda s: ast.literal_eval(f'"{s}"')
    overridden = set()
    for po in CATALOGUES:
        for (ctx, msgid), msgstrs in entries(po).items():
            if len(msgstrs) != 1:  # plural forms
                continue
            msgid, ours = text(msgid), text(msgstrs[0])
            got = shown.pgettext(text(ctx), msgid) if ctx else shown.gettext(msgid)
            if got != ours:
                app = po.relative_to(ROOT).parts[0]
                overridden.add(f"{msgid!r}: {ours!r} in {app}, shown {got!r}")
    assert not overridden, "another app's catalogue wins:\n" + "\n".join(sorted(overridden))


def test_make_messages_updates_the_catalogues_this_suite_checks():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^CATALOGUE_APPS := (.*)$", makefile, re.M).group(1).split() == APPS
