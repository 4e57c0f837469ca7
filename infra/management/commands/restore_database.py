from django.core.management.base import BaseCommand, CommandError

from infra import backups


class Command(BaseCommand):
    help = (
        "Restore a dump made by backup_database into the database (replacing its contents). "
        "Stop the web processes and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The dump to restore.")
        parser.add_argument("--database-name", help="Restore into this database instead.")
        parser.add_argument("--no-input", action="store_true", help="Do not ask to confirm.")

    def handle(self, *args, file, database_name=None, no_input=False, **options):
        target = database_name or "the configured database"
        if not no_input:
            answer = input(f"Replace everything in {target} with {file}? Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        backups.restore(file, database=database_name)
        self.stdout.write(f"Restored {file} into {target}.")
