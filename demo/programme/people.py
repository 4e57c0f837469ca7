"""The demo's people: the published password, the coordinator's address, and fictional names
for everyone else. Every address is @example.org and every name says "(demo)"."""

import functools

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from demo.programme.story_dates import at
from pilots.models import User

DEMO_PASSWORD = "triad-demo"  # noqa: S105 - the demo's published password, demo data only
COORDINATOR_EMAIL = "coordinator@example.org"

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Johan",
    "Sara",
    "Lars",
    "Emma",
    "Karl",
    "Elin",
    "Per",
    "Lina",
    "Olof",
    "Hanna",
    "Nils",
    "Ida",
    "Jonas",
    "Klara",
    "Fredrik",
    "Maja",
    "Oskar",
]
LAST_NAMES = [
    "Lindqvist",
    "Berg",
    "Holm",
    "Sjöberg",
    "Ek",
    "Nyström",
    "Lund",
    "Forsberg",
    "Hedlund",
    "Åberg",
    "Strand",
    "Wikström",
]


@functools.cache
def _hashed(password):
    """The published password hashed once for every demo account: a slow hash per account made
    most of seed_demo's time, and this password is public anyway."""
    return make_password(password)


def person(email, full_name, *, joined, password=None, coordinator=False):
    """The demo person with this address, made on first call; `joined` is the day they came
    into the programme's story (their account's date joined)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "is_coordinator": coordinator, "date_joined": at(joined)},
    )
    if created:
        if password:
            user.password = _hashed(password)
        else:
            user.set_unusable_password()
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def full_name(i):
    return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}"
