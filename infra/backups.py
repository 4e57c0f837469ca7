"""Backups of the PostgreSQL database with pg_dump and pg_restore (custom format), for
`make backup` and `make restore` (the management commands backup_database and
restore_database). The connection comes from DATABASES, so the same DATABASE_URL that runs
Triad is the one backed up; the password goes to the tools through the environment, never
on a command line."""

import datetime
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

BACKUP_DIR = Path(settings.BASE_DIR) / "var" / "backups"


def libpq_env(alias="default", database=None):
    """The PG* variables for the database of `alias` (or another database on its server)."""
    db = connections[alias].settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("Backups need PostgreSQL: set DATABASE_URL to it.")
    env = {**os.environ, "PGDATABASE": database or db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def tool(name):
    """The full path of a PostgreSQL client tool (from the postgresql-client package)."""
    path = shutil.which(name)
    if path is None:
        raise ImproperlyConfigured(f"{name} is not installed (apt-get install postgresql-client).")
    return path


def default_file():
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return BACKUP_DIR / f"triad-{stamp}.dump"


def dump(path=None, *, alias="default", database=None) -> Path:
    path = Path(path or default_file())
    path.parent.mkdir(parents=True, exist_ok=True)
    # A list of arguments, no shell: nothing in it is interpreted.
    subprocess.run(  # noqa: S603
        [tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
        env=libpq_env(alias, database),
        check=True,
    )
    return path


def restore(path, *, alias="default", database=None) -> None:
    """Restore `path` into the database (replacing what is there), in one transaction: a
    restore that fails leaves the database as it was."""
    subprocess.run(  # noqa: S603
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database or connections[alias].settings_dict['NAME']}",
            str(path),
        ],
        env=libpq_env(alias, database),
        check=True,
    )
