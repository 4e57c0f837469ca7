"""Load the fictional demo programme. Each app contributes through its own `demo.py`
(`seed(stdout)`), in INSTALLED_APPS order, so the structure exists before cases and workshops."""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo programme (fictional people, password triad-demo). Safe to run again."

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo refuses to run with production settings.")
        with transaction.atomic():
            for app in apps.get_app_configs():
                try:
                    demo = importlib.import_module(f"{app.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app.name}.demo":
                        raise
                    continue
                demo.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in with the password triad-demo."))
