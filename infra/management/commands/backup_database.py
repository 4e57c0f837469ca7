from django.core.management.base import BaseCommand

from infra import backups


class Command(BaseCommand):
    help = "Dump the PostgreSQL database (pg_dump, custom format) to var/backups/ or --file."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Where to write the dump.")

    def handle(self, *args, file=None, **options):
        path = backups.dump(file or None)
        self.stdout.write(str(path))
