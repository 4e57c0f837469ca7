"""The test suite: `make test`. Fast hashing, in-memory mail; PostgreSQL and Redis when
DATABASE_URL / REDIS_URL are set (as in CI)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")

from .base import *  # noqa: E402

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405  seed_demo and seed_scale
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process in tests; the tests that need a real worker start one themselves.
CELERY_TASK_ALWAYS_EAGER = True
# The broker is REDIS_URL's, never CELERY_BROKER_URL's: a deployment's broker exported in the
# shell must not be the one the drills empty (tests/test_celery_broker.py).
CELERY_BROKER_URL = REDIS_URL or "memory://"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Files on the file system, whatever STORAGE_URL says: a deployment's bucket exported in the
# shell must not be the one the suite writes to. tests/storage/ starts its own object store.
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}  # noqa: F405
LOGGING["root"]["level"] = "WARNING"

# pytest-xdist (`make test` runs in parallel): each worker process gets its own test database
# from pytest-django, and here its own Redis database for the cache, since every test empties
# the cache (FLUSHDB) and would otherwise empty the other workers' — and the broker's.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", …
if _XDIST_WORKER and REDIS_URL:  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _redis = urlsplit(REDIS_URL)  # noqa: F405
    CACHES["default"]["LOCATION"] = urlunsplit(  # noqa: F405
        _redis._replace(path=f"/{8 + int(_XDIST_WORKER.removeprefix('gw'))}")
    )
