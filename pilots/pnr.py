"""Moved to infra.pnr; existing migrations import the validator from here."""

from infra.pnr import *  # noqa: F403
from infra.pnr import PersonalNumberValidator  # noqa: F401
