"""The demo's people: the published password, the coordinator's address, and fictional names
for everyone else. Every address is @example.org and every name says "(demo)"."""

from allauth.account.models import EmailAddress

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


def person(email, full_name, *, password=None, coordinator=False):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_coordinator": coordinator}
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def full_name(i):
    return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}"
