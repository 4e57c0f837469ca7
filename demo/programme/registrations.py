"""The demo's interest registrations (intresseanmälningar), dated in the autumn of 2017: the
pre-study's invitation went out in October, each of the ten demo sites registered in the weeks
after it and was accepted when the ten were chosen, and two more municipalities were still new
or in dialogue. Run through `manage.py seed_demo` after the sites; safe to run again."""

import datetime

from accounts.tokens import new_token
from demo.programme.people import COORDINATOR_EMAIL
from demo.programme.sites import SITES, SITES_CHOSEN
from demo.programme.story_dates import at, stamp
from pilots.models import (
    InterestRegistration,
    PilotSite,
    RegistrationNote,
    RegistrationStatus,
    User,
)

INVITATION_SENT = datetime.date(2017, 10, 2)  # the pre-study's invitation, October 2017


def registered_on(index):
    """The day a site registered its interest: in the weeks after the invitation."""
    return INVITATION_SENT + datetime.timedelta(days=7 + 3 * index)


def _registration(index, site, schools, coordinator):
    """The interest registration the site came from, accepted when the ten were chosen."""
    registered = registered_on(index)
    registration, created = InterestRegistration.objects.get_or_create(
        site=site,
        defaults={
            "municipality_name": site.municipality.name,
            "region_name": site.region.name,
            "scope": "schools",
            "schools": "\n".join(schools),
            "contact_name": "Kontaktperson (demo)",
            "contact_organisation": "Utbildningsförvaltningen",
            "contact_email": f"kontakt@{site.slug}.example.org",
            "local_needs": "Elevhälsan möter fler elever med oro och nedstämdhet än den hinner "
            "med, och vägen till socialtjänst och BUP är lång.",
            "consent_to_store": True,
            "status": RegistrationStatus.ACCEPTED,
            "decided_at": at(SITES_CHOSEN, 16),
            "decided_by": coordinator,
            "follow_token_digest": new_token()[1],
        },
    )
    if created:
        stamp([registration], at(registered, 11))
        note = RegistrationNote.objects.create(
            registration=registration,
            author=coordinator,
            text="Dialog med kommunen och regionen: vilka skolor, vem som blir projektledare.",
        )
        stamp([note], at(registered + datetime.timedelta(days=14), 13))


def _open_registrations(coordinator):
    """Two registrations that were still open when the ten sites were chosen."""
    examples = [
        ("Kiruna", "Region Norrbotten", RegistrationStatus.NEW, None, datetime.date(2017, 11, 20)),
        (
            "Visby (Gotland)",
            "Region Gotland",
            RegistrationStatus.IN_DIALOGUE,
            "Första samtal: de vill börja med två skolor på norra Gotland.",
            datetime.date(2017, 10, 24),
        ),
    ]
    for municipality, region, status, note, registered in examples:
        registration, created = InterestRegistration.objects.get_or_create(
            municipality_name=municipality,
            defaults={
                "region_name": region,
                "scope": "municipality",
                "contact_name": "Kontaktperson (demo)",
                "contact_organisation": "Utbildningsförvaltningen",
                "contact_email": f"kontakt@{municipality.split()[0].lower()}.example.org",
                "local_needs": "Vi ser att elevhälsan inte räcker till och vill arbeta närmare socialtjänst och vård.",
                "consent_to_store": True,
                "status": status,
                "follow_token_digest": new_token()[1],
            },
        )
        if created:
            stamp([registration], at(registered, 9))
            if note:
                written = RegistrationNote.objects.create(
                    registration=registration, author=coordinator, text=note
                )
                stamp([written], at(registered + datetime.timedelta(days=9), 14))


def seed(stdout) -> None:
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    slugs = [slug for slug, *_rest in SITES]
    sites = {
        s.slug: s
        for s in PilotSite.objects.filter(slug__in=slugs).select_related("municipality", "region")
    }
    for index, (slug, *_rest, schools) in enumerate(SITES):
        if slug in sites:
            _registration(index, sites[slug], schools, coordinator)
    _open_registrations(coordinator)
    stdout.write(f"  registrations: {InterestRegistration.objects.count()} interest registrations")
