"""`make backup` and `make restore`: a dump of the database, restored into a scratch
database, holds the same number of rows in every table. Runs where DATABASE_URL is
PostgreSQL (as in CI)."""

import subprocess
import uuid
from pathlib import Path

import pytest
from django.db import connection

from infra import backups
from tests.cases.factories import CaseEventFactory, CaseFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore need PostgreSQL: set DATABASE_URL to it (CI does)",
)


def row_counts(database):
    """Rows in every table of the public schema of `database`, read with psql."""
    env = backups.libpq_env(database=database)
    tables = subprocess.run(
        ["psql", "-tA", "-c", "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    query = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in sorted(tables))
    lines = subprocess.run(
        ["psql", "-tA", "-F", " ", "-c", query], env=env, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return dict(line.split() for line in lines if line.strip())


@pytest.fixture
def scratch_database():
    name = f"triad_restore_{uuid.uuid4().hex[:10]}"
    env = backups.libpq_env(database="postgres")
    subprocess.run(["createdb", name], env=env, check=True)
    yield name
    subprocess.run(["dropdb", "--if-exists", name], env=env, check=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # dumps see commits only
def test_a_restored_backup_has_the_same_rows_in_every_table(
    site_a, member_a, client_for, tmp_path, scratch_database
):
    for _ in range(3):
        case = CaseFactory(site=site_a)
        CaseEventFactory(case=case)
        client_for(member_a).get(case.get_absolute_url())  # access lines and audit too

    source = connection.settings_dict["NAME"]
    path = backups.dump(tmp_path / "triad.dump", database=source)
    assert path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    backups.restore(path, database=scratch_database)

    before, after = row_counts(source), row_counts(scratch_database)
    assert after == before
    assert int(after["cases_case"]) == 3 and int(after["cases_caseaccess"]) >= 3
    assert len(after) > 40


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_audit_trigger_comes_back_with_a_restore(site_a, tmp_path, scratch_database):
    path = backups.dump(tmp_path / "triad.dump", database=connection.settings_dict["NAME"])
    backups.restore(path, database=scratch_database)
    triggers = subprocess.run(
        ["psql", "-tA", "-c", "SELECT tgname FROM pg_trigger WHERE tgname LIKE '%append_only'"],
        env=backups.libpq_env(database=scratch_database),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sorted(triggers) == ["cases_caseaccess_append_only", "pilots_auditevent_append_only"]


def test_make_restore_needs_a_file():
    result = subprocess.run(
        ["make", "-s", "restore"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "FILE=" in result.stdout + result.stderr


def test_make_backup_and_restore_are_documented():
    readme = (ROOT / "README.md").read_text()
    assert "make backup" in readme and "make restore FILE=" in readme
