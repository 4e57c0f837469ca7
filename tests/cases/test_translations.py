"""The Swedish catalogue of cases is complete, and the guard speaks Swedish by default."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

import cases

PO = Path(cases.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def entries():
    text = PO.read_text(encoding="utf-8")
    return [b for b in text.split("\n\n")[1:] if "msgid" in b]


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = []
    for block in entries():
        assert "#, fuzzy" not in block, block
        for match in re.finditer(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M):
            text = "".join(re.findall(r'"(.*)"', match.group(1)))
            if not text:
                untranslated.append(block)
    assert not untranslated, untranslated[:3]


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext is not installed")
def test_the_guard_message_is_swedish(tmp_path, settings):
    target = tmp_path / "sv" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(PO)], check=True)
    settings.LOCALE_PATHS = [tmp_path]
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
    try:
        from django.core.exceptions import ValidationError

        from infra.pnr import validate_no_personal_number

        with translation.override("sv"):
            with pytest.raises(ValidationError) as error:
                validate_no_personal_number("Eleven 640823-3234.")
            assert "personnumret" in error.value.messages[0]
    finally:
        trans_real._translations = {}
        trans_real._default = None
