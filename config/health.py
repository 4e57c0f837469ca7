"""GET /healthz: can Triad reach its database, cache and broker, and has the release step
migrated the database for this code? 200 if so, else 503 (a load balancer then sends no requests
to an instance that started before `make release` ran)."""

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, 10)
    ok = cache.get(key) == value
    cache.delete(key)
    if not ok:
        raise RuntimeError("cache did not return what was stored")


# A message waiting this long in the folder broker means no worker is taking them.
FOLDER_PATIENCE = 10 * 60


def _folder_broker():
    """kombu's filesystem transport (`make run` without Redis): the queue is a folder the web
    process can write to, and no message in it has waited long (a worker is taking them)."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out"):
        folder = Path(options[key])
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise RuntimeError(f"the queue folder {folder} is missing or not writable")
    oldest = min(
        (p.stat().st_mtime for p in Path(options["data_folder_in"]).iterdir()), default=None
    )
    if oldest is not None and time.time() - oldest > FOLDER_PATIENCE:
        raise RuntimeError("a task has waited over ten minutes: is the worker running?")


def _broker():
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        return  # no broker configured: tasks run in-process
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return _folder_broker()
    from config.celery import app

    # Socket timeouts of their own: a broker that takes the connection and then says nothing
    # must fail the check, not hang the request (Redis' client waits forever by default).
    options = {
        **(app.conf.broker_transport_options or {}),
        "socket_timeout": 2,
        "socket_connect_timeout": 2,
    }
    with app.connection_for_write(settings.CELERY_BROKER_URL, transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


class MigrationsPending(Exception):
    """The database lacks migrations this code has: the release step has not run."""


# Once every migration this code knows is applied, it stays so for this process: only the
# first healthy answer reads the migration files.
_migrated = False


def _migrations():
    global _migrated
    if _migrated:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise MigrationsPending
    _migrated = True


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "migrations": _migrations}


@login_not_required
@never_cache
@require_GET
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
            results[name] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )
