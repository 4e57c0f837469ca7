"""Files leave Triad in one place, infra.uploads.serve_file, which reads them through the
storage API. Nothing else may reach for a file by its path on this machine (MEDIA_ROOT, a
FileField's .path, a storage's path()) — with STORAGE_URL there is no such path, and another
instance would not have the file — nor build a FileResponse of its own, which would skip the
attachment and sandbox headers."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from tests.test_layout import ROOT, modules, source_folders

SERVING_MODULE = ROOT / "infra" / "uploads.py"
# The settings say where the file system keeps files; nothing else needs to know.
SETTINGS = ROOT / "config" / "settings"


def file_field_names() -> set[str]:
    return {
        field.name
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }


def _name(node) -> str:
    """The name a node says: a variable, an attribute, or what an import brings in."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.alias):
        return node.name.rsplit(".", 1)[-1]
    return getattr(node, "attr", "")


def reaches_past_storage(source: str, *, may_serve: bool, file_fields: set[str]) -> list[str]:
    """What in `source` reads a file past the storage API, or serves one past serve_file."""
    found = []
    for node in ast.walk(ast.parse(source)):
        name = _name(node)
        line = getattr(node, "lineno", "?")
        if name in {"MEDIA_ROOT", "FileSystemStorage"}:
            found.append(f"line {line}: {name}")
        elif isinstance(node, ast.Attribute) and node.attr == "path":
            owner = _name(node.value)
            if owner in file_fields or "storage" in owner:
                found.append(f"line {line}: {owner}.path")
        elif name == "FileResponse" and not may_serve:
            found.append(f"line {line}: FileResponse (use infra.uploads.serve_file)")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "handle = open(item.file.path, 'rb')",
        "FileResponse(open(settings.MEDIA_ROOT / name, 'rb'))",
        "from django.conf.settings import MEDIA_ROOT",
        "name = default_storage.path(key)",
        "size = os.path.getsize(self.storage.path(name))",
        "FileSystemStorage(location='/srv/media').open(name)",
        "return FileResponse(summary.pdf.open('rb'))",
    ],
)
def test_the_check_finds_a_file_read_past_storage(source):
    assert reaches_past_storage(source, may_serve=False, file_fields={"file", "pdf"})


@pytest.mark.parametrize(
    "source",
    [
        "return serve_file(item.file, item.original_name)",
        "url = request.path",
        "CaseAccess(path=recorded_path(request), case=case)",
        "line.path == url",
        "storage.delete(old_file)",
        "data = summary.pdf.read()",
    ],
)
def test_the_check_lets_the_storage_api_be(source):
    assert not reaches_past_storage(source, may_serve=False, file_fields={"file", "pdf"})


def test_files_are_read_through_storage_and_served_in_one_place():
    fields = file_field_names()
    assert "file" in fields  # the check knows the models' file fields
    offenders = []
    for folder in source_folders():
        for path in modules(folder):
            if path.is_relative_to(SETTINGS):
                continue
            found = reaches_past_storage(
                path.read_text(encoding="utf-8"),
                may_serve=path == SERVING_MODULE,
                file_fields=fields,
            )
            offenders += [f"{path.relative_to(ROOT)} {what}" for what in found]
    assert not offenders, (
        "Read stored files through the storage API (field.open('rb'), default_storage.open) "
        "and serve them with infra.uploads.serve_file: " + "; ".join(offenders)
    )
    assert Path(SERVING_MODULE).is_file()
