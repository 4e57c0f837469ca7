"""The house's layout rules, checked by reading the source rather than by review.

Counted are the Python lines (as `wc -l` counts them) of every top-level folder that holds
Python — each app, config/ and bench/ — outside migrations/ and tests/. No module passes
MODULE_LIMIT lines and no folder holds more than APP_SHARE_LIMIT of them all: a module past the
limit is split along the lines of what it holds, and an app that outgrows its share gives away
what is not its concern. Tasks import services, never the other way round. And no module at
the top of a folder is named like an app, which it would shadow when Python runs in there."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULE_LIMIT = 400
APP_SHARE_LIMIT = 0.25
# Folders whose Python is not the project's own code, or is not counted.
NOT_COUNTED = {"tests", "migrations", "node_modules", "venv"}


def _counted(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return not any(part in NOT_COUNTED or part.startswith(".") for part in parts)


def source_folders() -> list[Path]:
    """The top-level folders that hold the project's Python: the apps, config/ and bench/."""
    return sorted(
        folder
        for folder in ROOT.iterdir()
        if folder.is_dir()
        and _counted(folder)
        and not (folder / "pyvenv.cfg").exists()
        and any(_counted(f) for f in folder.rglob("*.py"))
    )


def modules(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*.py") if _counted(f))


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_rules_see_the_apps():
    names = {folder.name for folder in source_folders()}
    assert {"pilots", "cases", "workshops", "config", "bench", "demo"} <= names, names
    assert "tests" not in names


def test_no_module_passes_the_line_limit():
    too_long = [
        f"{path.relative_to(ROOT)} has {n} lines"
        for folder in source_folders()
        for path in modules(folder)
        if (n := lines(path)) > MODULE_LIMIT
    ]
    assert not too_long, (
        f"Modules past {MODULE_LIMIT} lines (split each along what it holds): "
        + "; ".join(too_long)
    )


def test_no_app_holds_more_than_its_share_of_the_code():
    counts = {folder.name: sum(lines(p) for p in modules(folder)) for folder in source_folders()}
    total = sum(counts.values())
    too_big = [
        f"{name}/ holds {n} of {total} lines ({n / total:.1%})"
        for name, n in sorted(counts.items())
        if n > APP_SHARE_LIMIT * total
    ]
    assert not too_big, (
        f"Apps past {APP_SHARE_LIMIT:.0%} of the code (move out what is not their concern): "
        + "; ".join(too_big)
    )


# --- Tasks import services, never the other way round ------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _may_import_tasks(path: Path) -> bool:
    """Tasks themselves, and the callers that queue them: views and management commands."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return "tasks" in parts or "views" in parts or ("management" in parts and "commands" in parts)


def imports_of_own_tasks(source: str, module: str) -> list[str]:
    """The imports in `source` (module `module`, wherever they stand, in a function too) that
    reach the tasks module of the module's own app, as written."""
    app = module.split(".")[0]
    tasks = f"{app}.tasks"
    package = module.rsplit(".", 1)[0]  # where `from .` starts
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                a.name for a in node.names if a.name == tasks or a.name.startswith(tasks + ".")
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            written = "." * node.level + (node.module or "")
            if target == tasks or target.startswith(tasks + "."):
                found.append(f"from {written} import …")
            elif target == app and any(a.name == "tasks" for a in node.names):
                found.append(f"from {written} import tasks")
    return found


def _source_and_name(path: Path) -> tuple[str, str]:
    name = _module_name(path)
    if path.name == "__init__.py":
        # Relative imports in a package's __init__ start from the package itself.
        name += ".__init__"
    return path.read_text(encoding="utf-8"), name


@pytest.mark.parametrize(
    "source,module",
    [
        ("from .tasks import send_reminder", "workshops.reminders"),
        ("def queue():\n    from .tasks import send_reminder\n", "workshops.reminders"),
        ("from . import tasks", "exchange.services"),
        ("from ..tasks import x", "cases.forms.cases"),
        ("from exchange.tasks import send_announcement", "exchange.services"),
        ("import workshops.tasks", "workshops.reminders"),
        ("from workshops import tasks", "workshops.reminders"),
    ],
)
def test_the_check_finds_an_import_of_the_apps_tasks(source, module):
    assert imports_of_own_tasks(source, module)


@pytest.mark.parametrize(
    "source,module",
    [
        ("from infra.tasks import send_email", "workshops.reminders"),  # another app's
        ("from . import services", "exchange.tasks"),
        ("from .models import Task", "workshops.reminders"),
        ("from . import reminders", "workshops.services"),
    ],
)
def test_the_check_lets_other_imports_be(source, module):
    assert not imports_of_own_tasks(source, module)


def test_only_tasks_views_and_commands_import_their_apps_tasks():
    offenders = []
    for folder in source_folders():
        for path in modules(folder):
            if _may_import_tasks(path):
                continue
            source, name = _source_and_name(path)
            offenders += [
                f"{path.relative_to(ROOT)}: {found}" for found in imports_of_own_tasks(source, name)
            ]
    assert not offenders, (
        "Services import tasks (tasks import services, so this makes a circle; let the caller "
        "queue the task, or take the queueing as an argument): " + "; ".join(offenders)
    )


def test_no_module_at_the_top_of_a_folder_is_named_like_an_app():
    apps = {folder.name for folder in source_folders()}
    shadows = [
        f"{child.relative_to(ROOT)} shadows the app {child.stem}"
        for folder in source_folders()
        for child in folder.iterdir()
        if child.stem in apps and (child.suffix == ".py" or (child / "__init__.py").exists())
    ]
    assert not shadows, "; ".join(shadows)
