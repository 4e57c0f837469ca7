"""Migrating the test database to given migrations, as `manage.py migrate` does: the
change-counting triggers (dashboards/changes.py) step aside while SQLite remakes tables, and
come back afterwards. Returns the apps of the state reached, for writing rows as they were."""

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
