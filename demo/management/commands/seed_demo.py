"""Load the fictional demo programme: the sites first, then the interest they registered,
casework, workshop rounds, the dashboards' summaries and the exchange's content, each from its
module in demo.programme."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from demo.programme import (
    casework,
    exchange_content,
    registrations,
    sites,
    summaries,
    workshop_rounds,
)

# The order matters: each part builds on the ones before it.
PARTS = (sites, registrations, casework, workshop_rounds, summaries, exchange_content)


class Command(BaseCommand):
    help = "Load the demo programme (fictional people, password triad-demo). Safe to run again."

    @scopes_disabled()  # every site
    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo refuses to run with production settings.")
        with transaction.atomic():
            for part in PARTS:
                part.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in with the password triad-demo."))
