"""Fictional data at national scale, for `manage.py seed_scale` and `make bench`.

Hundreds of sites with their municipality, a shared set of fictional regions, schools, people
(a project lead, a working group and a steering group per site), practical tests, steering
meetings, general interventions, and cases with consents, timelines, closures, referrals and
their history, spread over the weeks up to today so that run charts have something to show.

It writes with `bulk_create` in batches, chunk by chunk of sites, inside one transaction: a run
either adds a whole batch or nothing. Every row satisfies the models' constraints; nothing is
switched off. Each run adds a new batch of sites after those already there (`skala-<n>`, case
code prefix `S<n>`), so codes, slugs and e-mail addresses never collide.

Everything is made up and says so: places are invented, people are "(fiktiv)", every address
is @scale.example.org, and no free text describes a child."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from demo.scale.casework import add_cases
from demo.scale.site_work import add_governance, add_interventions, add_practical_tests
from demo.scale.structure import add_sites
from pilots.models import PilotSite

SITES_PER_CHUNK = 10  # sites whose cases are built in memory at once


@dataclass
class Result:
    """What one run added."""

    sites: int = 0
    schools: int = 0
    users: int = 0
    tests: int = 0
    cases: int = 0
    events: int = 0
    consents: int = 0
    first_site: str = ""
    site_ids: list = field(default_factory=list)
    start: datetime.date | None = None
    today: datetime.date | None = None


def _share(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split `total` over `parts` unevenly (some sites log many more cases than others)."""
    if parts == 0:
        return []
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    return counts


def seed(
    *,
    sites: int,
    schools_per_site: int,
    cases: int,
    weeks: int = 40,
    today: datetime.date | None = None,
    random_seed: int = 2018,
    progress: Callable[[str], None] = lambda message: None,
    tests_per_site: int | None = None,
    city: bool = False,
) -> Result:
    """Add `sites` new sites with `schools_per_site` schools each and `cases` cases in all;
    with `city`, big cities (`storstad-<n>`) with steering meetings every eight weeks."""
    if sites < 1 or schools_per_site < 1 or cases < 0:
        raise ValueError("sites and schools per site must be at least 1, cases at least 0")
    rng = random.Random(random_seed + PilotSite.objects.count())
    today = today or timezone.localdate()
    start = today - datetime.timedelta(weeks=weeks)
    result = Result(start=start, today=today)
    with transaction.atomic():
        site_rows, people = add_sites(sites, schools_per_site, start, rng, result, city=city)
        progress(f"{result.sites} sites, {result.schools} schools, {result.users} people")
        tests = add_practical_tests(
            site_rows, people, start, today, rng, result, per_site=tests_per_site
        )
        add_governance(
            site_rows, people, start, today, rng, meetings_per_site=weeks // 8 if city else None
        )
        add_interventions(site_rows, start, today, rng)
        per_site = _share(cases, len(site_rows), rng)
        for offset in range(0, len(site_rows), SITES_PER_CHUNK):
            chunk = site_rows[offset : offset + SITES_PER_CHUNK]
            add_cases(chunk, per_site[offset:], people, tests, start, today, rng, result)
            progress(f"{result.cases} cases, {result.events} timeline entries")
    return result
