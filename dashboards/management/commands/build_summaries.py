"""Build progress summaries now, without a worker, through the same service the tasks use."""

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_scopes import scopes_disabled

from pilots.models import PilotSite

from ...models import Trigger
from ...services import build_changed_summaries, build_summaries


class Command(BaseCommand):
    help = (
        "Build a new progress summary of every site whose latest is out of date, as the "
        "nightly build does (or of every site with --all, or of one with --site SLUG)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--site", metavar="SLUG", help="Only the site with this short name.")
        which.add_argument(
            "--all", dest="every", action="store_true", help="Every site, changed or not."
        )
        which.add_argument(
            "--changed-only",
            action="store_true",
            help="Only the sites whose data changed since their latest summary (the default).",
        )
        parser.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="Print one JSON line: sites, built, skipped, seconds and queries.",
        )

    @scopes_disabled()  # every site
    def handle(self, *args, site=None, every=False, as_json=False, **options):
        queries = []
        started = time.monotonic()
        with connection.execute_wrapper(lambda execute, *a: queries.append(1) or execute(*a)):
            if site:
                sites = PilotSite.objects.filter(slug=site)
                if not sites.exists():
                    raise CommandError(f"No site has the short name {site!r}.")
                built, skipped = build_summaries(sites, trigger=Trigger.COMMAND), None
            elif every:
                built, skipped = build_summaries(trigger=Trigger.COMMAND), 0
            else:
                built, skipped = build_changed_summaries(trigger=Trigger.COMMAND)
        seconds = time.monotonic() - started
        if as_json:
            self.stdout.write(_json_line(built, skipped, seconds, len(queries), site, every))
        elif skipped:
            self.stdout.write(
                f"Built {len(built)} summaries in {seconds:.1f} s; {skipped} sites had not changed."
            )
        else:
            self.stdout.write(f"Built {len(built)} summaries in {seconds:.1f} s.")


def _json_line(built, skipped, seconds, queries, site, every):
    mode = "site" if site else "all" if every else "changed"
    return json.dumps(
        {
            "mode": mode,
            "built": len(built),
            "skipped": skipped or 0,
            "sites": len(built) + (skipped or 0),
            "seconds": round(seconds, 3),
            "queries": queries,
        }
    )
