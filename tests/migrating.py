"""Migrating the test database to given migrations, as `manage.py migrate` does: the
change-counting triggers (dashboards/changes.py) step aside while SQLite remakes tables, and
come back afterwards. Returns the apps of the state reached, for writing rows as they were."""

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dashboards.changes import install, uninstall_for_migrations


def migrate(targets):
    uninstall_for_migrations()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    try:
        executor.migrate(targets)
    finally:
        install()
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def migrate_to_the_latest():
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def put_back_migrated_rows(contents, empty_first):
    """Put back the rows the migrations made (serialized as `contents`), under their old ids,
    after emptying every table if asked; then set every sequence past the highest id, since
    emptying restarts them at 1 and the next row made would collide with a restored one."""
    if empty_first:
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(contents)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), apps.get_models(include_auto_created=True)
        ):
            cursor.execute(statement)
