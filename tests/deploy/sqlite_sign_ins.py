"""Run by tests/deploy/test_sqlite_concurrency.py (python -m, from the worktree) in a process of its own, with `make run`'s
settings (config.settings.local) and DATABASE_URL naming a SQLite file: migrate, make people,
then sign them all in at the same moment from threads, each thread with its own connection, as
the threads of the development server are. Prints one status code per sign-in, or the error."""

import os
import sys
import threading
import time

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.pilots.factories import PASSWORD, UserFactory  # noqa: E402

PEOPLE = int(sys.argv[1])
call_command("migrate", verbosity=0)
emails = [UserFactory(email=f"concurrent{i}@example.org").email for i in range(PEOPLE)]
connection.close()
start = threading.Barrier(PEOPLE)
results: list[str] = []


def sign_in(email):
    client = Client(SERVER_NAME="127.0.0.1", REMOTE_ADDR="127.0.0.1")
    start.wait()
    t0 = time.monotonic()
    try:
        response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
        results.append(str(response.status_code))
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        results.append(f"{type(exc).__name__}: {exc} after {time.monotonic() - t0:.1f}s")
    finally:
        connection.close()


threads = [threading.Thread(target=sign_in, args=(e,)) for e in emails]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("\n".join(results))
