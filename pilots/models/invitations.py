"""Moved to accounts.models; pilots' first migration imports the expiry default from here."""

from accounts.models import _default_expiry  # noqa: F401
