"""A developer's machine: `make run`. SQLite, local-memory cache and eager tasks unless
DATABASE_URL / REDIS_URL are set."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: E402

INTERNAL_IPS = ["127.0.0.1"]

# The demo programme and the scale generator (seed_demo, seed_scale); never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
