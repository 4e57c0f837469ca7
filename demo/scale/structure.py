"""The national-scale sites' structure: fictional regions and municipalities with their three
actors' units, the sites, their schools, and the people of each site with their memberships."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from demo.scale.batches import bulk
from demo.scale.fiction import (
    CITY_PREFIX,
    COORDINATOR_EMAIL,
    DOMAIN,
    PASSWORD,
    PEOPLE,
    PHASES,
    REGION_NAMES,
    SCHOOL_NAMES,
    SCHOOL_TYPES,
    SLUG_PREFIX,
    SO,
    H,
    S,
    person_name,
    site_naming,
)
from pilots.models import Membership, Organisation, OrganisationKind, PilotSite, Role, School, User


def add_sites(n_sites, schools_per_site, start, rng, result, *, city=False):
    """Add the sites (`skala-<n>`; with `city`, `storstad-<n>`) after those already there."""
    prefix = CITY_PREFIX if city else SLUG_PREFIX
    first = PilotSite.objects.filter(slug__startswith=prefix).count() + 1
    indexes = range(first, first + n_sites)
    names = {g: site_naming(g, city) for g in indexes}
    regions = []
    for name in REGION_NAMES:
        region, _ = Organisation.objects.get_or_create(
            name=f"Region {name} (fiktiv)", kind=OrganisationKind.REGION, parent=None
        )
        regions.append(region)
    municipalities = bulk(
        Organisation,
        [
            Organisation(name=f"{names[g][0]} kommun (fiktiv {names[g][1]})", kind="municipality")
            for g in indexes
        ],
    )
    site_regions = [regions[(g * 7) % len(regions)] for g in indexes]
    units = bulk(
        Organisation,
        [
            unit
            for g, municipality, region in zip(indexes, municipalities, site_regions, strict=True)
            for unit in (
                Organisation(
                    name="Utbildningsförvaltningen", kind="unit", actor=S, parent=municipality
                ),
                Organisation(
                    name="Individ- och familjeomsorgen", kind="unit", actor=SO, parent=municipality
                ),
                Organisation(
                    name=f"Barn- och ungdomshälsan {names[g][0]} ({names[g][1]})",
                    kind="unit",
                    actor=H,
                    parent=region,
                ),
            )
        ],
    )
    site_rows = bulk(
        PilotSite,
        [
            PilotSite(
                name=f"{names[g][0]} (fiktiv)",
                slug=names[g][2],
                municipality=municipality,
                region=region,
                school_actor=units[3 * i],
                social_actor=units[3 * i + 1],
                health_actor=units[3 * i + 2],
                phase=PHASES[g % len(PHASES)],
                case_code_prefix=names[g][1],
            )
            for i, (g, municipality, region) in enumerate(
                zip(indexes, municipalities, site_regions, strict=True)
            )
        ],
    )
    result.sites = len(site_rows)
    result.first_site = site_rows[0].slug
    result.site_ids = [site.pk for site in site_rows]

    schools = bulk(
        School,
        [
            School(
                site=site,
                name=_school_name(j),
                school_type=rng.choice(SCHOOL_TYPES),
                pupils=rng.randrange(120, 900),
            )
            for site in site_rows
            for j in range(schools_per_site)
        ],
    )
    result.schools = len(schools)
    for i, site in enumerate(site_rows):
        site.school_list = schools[i * schools_per_site : (i + 1) * schools_per_site]

    password = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
    User.objects.get_or_create(
        email=COORDINATOR_EMAIL,
        defaults={
            "full_name": "Koordinator Skala (fiktiv)",
            "is_coordinator": True,
            "password": password,
        },
    )
    EmailAddress.objects.get_or_create(
        email=COORDINATOR_EMAIL,
        defaults={
            "user": User.objects.get(email=COORDINATOR_EMAIL),
            "verified": True,
            "primary": True,
        },
    )
    users = bulk(
        User,
        [
            User(
                email=f"{_email_local(role, k)}.{site.slug}@{DOMAIN}",
                full_name=person_name(rng),
                password=password,
            )
            for site in site_rows
            for k, (role, *_rest) in enumerate(PEOPLE)
        ],
    )
    bulk(
        EmailAddress,
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
    )
    result.users = len(users)
    memberships = []
    for i, site in enumerate(site_rows):
        unit = {S: units[3 * i], SO: units[3 * i + 1], H: units[3 * i + 2]}
        for k, (role, actor, title, hours) in enumerate(PEOPLE):
            memberships.append(
                Membership(
                    site=site,
                    user=users[i * len(PEOPLE) + k],
                    role=role,
                    actor=actor,
                    organisation=unit[actor],
                    title=title,
                    hours_per_week=hours,
                    planned_hours_per_week=hours + 2 if hours else None,
                    starts_on=start,
                )
            )
    memberships = bulk(Membership, memberships)
    people = {
        site.pk: memberships[i * len(PEOPLE) : (i + 1) * len(PEOPLE)]
        for i, site in enumerate(site_rows)
    }
    return site_rows, people


def _school_name(j):
    base = SCHOOL_NAMES[j % len(SCHOOL_NAMES)]
    return (
        f"{base}skolan" if j < len(SCHOOL_NAMES) else f"{base}skolan {j // len(SCHOOL_NAMES) + 1}"
    )


def _email_local(role, k):
    return {Role.LEAD: "lead", Role.WORKING: f"member{k}", Role.STEERING: f"steering{k}"}[role]


def working_members(memberships):
    return [m for m in memberships if m.role in (Role.LEAD, Role.WORKING)]
