"""`make run` on SQLite takes sign-ins at the same moment without "database is locked": WAL,
a busy timeout and immediate transactions (config/settings/base.py). The sign-ins run in a
process of their own against a SQLite file (tests/deploy/sqlite_sign_ins.py), as the
development server's threads would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 8


def test_concurrent_sign_ins_on_a_sqlite_file_all_succeed(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": "dummymail://",
        "CELERY_BROKER_URL": "memory://",
        "LOG_LEVEL": "CRITICAL",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        [sys.executable, "-m", "tests.deploy.sqlite_sign_ins", str(PEOPLE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = run.stdout.split()
    # A sign-in answers with a redirect (to the second factor or the home page), never a 500.
    assert len(results) == PEOPLE and set(results) == {"302"}, run.stdout + run.stderr[-3000:]
