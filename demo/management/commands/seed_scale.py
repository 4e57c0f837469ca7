"""Add fictional data at national scale (demo.scale.national: sites, people, tests and cases;
then demo.scale.workshop_round: the workshop programme for the new sites), e.g. for `make bench`.
Two more steps, each on its own: `--city` adds big cities (storstad-<n>) with their own counts,
and `--commons` what the scale sites share (demo.scale.commons), once."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from demo.scale import commons, national, workshop_round
from demo.scale.fiction import COORDINATOR_EMAIL, DOMAIN, PASSWORD
from pilots.models import PilotSite


class Command(BaseCommand):
    help = (
        "Add a batch of fictional sites, schools, people, practical tests and cases with their "
        f"timelines (password {PASSWORD}). Each run adds a new batch after the last one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sites", type=int, default=29, help="sites to add")
        parser.add_argument("--schools-per-site", type=int, default=20, help="schools per site")
        parser.add_argument("--cases", type=int, default=30_000, help="cases in all")
        parser.add_argument(
            "--weeks", type=int, default=40, help="weeks up to today that the cases cover"
        )
        parser.add_argument(
            "--tests-per-site", type=int, default=None, help="practical tests per site (1-3)"
        )
        parser.add_argument(
            "--city",
            action="store_true",
            help="add big cities (storstad-<n>) instead, e.g. --sites 1 --cases 50000 "
            "--tests-per-site 200 --weeks 260",
        )
        parser.add_argument(
            "--commons",
            action="store_true",
            help="only add what the scale sites share (a vignette's answers, a long thread, "
            "library items), unless it is there",
        )

    @scopes_disabled()  # every site
    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_scale refuses to run with production settings.")
        if options["commons"]:
            with transaction.atomic():
                shared = commons.seed()
            self.stdout.write(self.style.SUCCESS(f"Shared by the scale sites: {shared}"))
            return
        if options["sites"] < 1 or options["schools_per_site"] < 1 or options["cases"] < 0:
            raise CommandError("Give at least one site and one school per site.")
        if options["tests_per_site"] is not None and options["tests_per_site"] < 1:
            raise CommandError("Give at least one practical test per site.")
        started = time.perf_counter()
        with transaction.atomic():
            result = national.seed(
                sites=options["sites"],
                schools_per_site=options["schools_per_site"],
                cases=options["cases"],
                weeks=options["weeks"],
                tests_per_site=options["tests_per_site"],
                city=options["city"],
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
            sites = list(PilotSite.objects.filter(pk__in=result.site_ids))
            workshop_round.seed(sites=sites, start=result.start, today=result.today)
            self.stdout.write("  workshops: added")
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result.sites} sites from {result.first_site}, {result.schools} schools, "
                f"{result.users} people, {result.tests} practical tests, {result.cases} cases "
                f"with {result.events} timeline entries in {time.perf_counter() - started:.1f} s. "
                f"Sign in as {COORDINATOR_EMAIL} or lead.{result.first_site}@{DOMAIN} "
                f"with the password {PASSWORD}."
            )
        )
