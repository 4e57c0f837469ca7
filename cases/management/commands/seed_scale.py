"""Add fictional data at national scale (see cases.scale), e.g. for `make bench`. Other apps
add their part for the new sites through their own `scale.seed` (workshops does), as
seed_demo does with `demo.py`, so cases need not know them."""

import importlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases import scale
from pilots.models import PilotSite


class Command(BaseCommand):
    help = (
        "Add a batch of fictional sites, schools, people, practical tests and cases with their "
        f"timelines (password {scale.PASSWORD}). Each run adds a new batch after the last one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sites", type=int, default=29, help="sites to add")
        parser.add_argument("--schools-per-site", type=int, default=20, help="schools per site")
        parser.add_argument("--cases", type=int, default=30_000, help="cases in all")
        parser.add_argument(
            "--weeks", type=int, default=40, help="weeks up to today that the cases cover"
        )

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_scale refuses to run with production settings.")
        if options["sites"] < 1 or options["schools_per_site"] < 1 or options["cases"] < 0:
            raise CommandError("Give at least one site and one school per site.")
        started = time.perf_counter()
        with transaction.atomic():
            result = scale.seed(
                sites=options["sites"],
                schools_per_site=options["schools_per_site"],
                cases=options["cases"],
                weeks=options["weeks"],
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
            sites = list(PilotSite.objects.filter(pk__in=result.site_ids))
            for app in apps.get_app_configs():
                if app.name == "cases":
                    continue
                try:
                    module = importlib.import_module(f"{app.name}.scale")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app.name}.scale":
                        raise
                    continue
                module.seed(sites=sites, start=result.start, today=result.today)
                self.stdout.write(f"  {app.label}: added")
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result.sites} sites from {result.first_site}, {result.schools} schools, "
                f"{result.users} people, {result.tests} practical tests, {result.cases} cases "
                f"with {result.events} timeline entries in {time.perf_counter() - started:.1f} s. "
                f"Sign in as {scale.COORDINATOR_EMAIL} or lead.{result.first_site}@{scale.DOMAIN} "
                f"with the password {scale.PASSWORD}."
            )
        )
