"""Build progress summaries now, without a worker, through the same service the tasks use."""

import time

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from pilots.models import PilotSite

from ...models import Trigger
from ...services import build_summaries


class Command(BaseCommand):
    help = "Build a new progress summary of every site (or of one, with --site SLUG)."

    def add_arguments(self, parser):
        parser.add_argument("--site", metavar="SLUG", help="Only the site with this short name.")

    @scopes_disabled()  # every site
    def handle(self, *args, site=None, **options):
        sites = PilotSite.objects.all()
        if site:
            sites = sites.filter(slug=site)
            if not sites.exists():
                raise CommandError(f"No site has the short name {site!r}.")
        started = time.monotonic()
        built = build_summaries(sites, trigger=Trigger.COMMAND)
        seconds = time.monotonic() - started
        self.stdout.write(f"Built {len(built)} summaries in {seconds:.1f} s.")
