"""The database counts each site's data changes (dashboards/changes.py). Generated from the
models: every model with a site path is counted or says why not, every table a build reads is
counted, and a write of each kind to each counted table — an UPDATE, a DELETE (which leaves
no row behind), an INSERT, each as one bare statement, the way bulk updates and raw SQL
write — moves the count of exactly the site its row belongs to."""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from dashboards.changes import (
    FEEDERS,
    UNTRACKED,
    install,
    site_models,
    tracked,
    uninstall_for_migrations,
)
from dashboards.models import SiteDataVersion
from dashboards.services import build_summaries

from .world import fill

COUNTED = {model._meta.label: (model, path) for model, path in tracked().items()}


@pytest.fixture
def world(site_a, site_b):
    fill(site_a, "YAM")
    fill(site_b, "PALS")
    return site_a, site_b


def counts():
    return dict(SiteDataVersion.objects.values_list("site_id", "version"))


def moved(before, after):
    return {site for site in {*before, *after} if before.get(site, 0) != after.get(site, 0)}


def tables_a_build_reads():
    """The tables a build reads its figures from (the dashboards' own, where it keeps the
    summaries and reads the counts, left out)."""
    known = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label != "dashboards"
    }
    with CaptureQueriesContext(connection) as queries:
        build_summaries()
    return {
        name
        for query in queries
        if not query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for name in re.findall(r'"(\w+)"', query["sql"])
        if name in known
    }


def test_every_table_a_build_reads_is_counted(world):
    read = tables_a_build_reads()
    assert {"cases_case", "pilots_membership", "workshops_deliverable"} <= read
    counted = {model._meta.db_table for model in tracked()}
    assert read - counted == set(), "a summary reads these tables, and no change to them counts"


def test_every_model_with_a_site_path_is_counted_or_says_why_not(world):
    with_path = {model._meta.label for model in site_models()}
    # Each exception names a model that exists and reaches a site; none is read by a build.
    assert set(UNTRACKED) <= with_path
    assert not set(FEEDERS) & with_path, "a model with a site path needs no way of its own"
    untracked = {apps.get_model(label)._meta.db_table for label in UNTRACKED}
    assert not untracked & tables_a_build_reads()
    assert with_path - set(UNTRACKED) <= set(COUNTED)


def _rows_of(model, path, site):
    if path is None:
        return model._base_manager.filter(pk=site.pk)
    return model._base_manager.filter(**{path: site}).order_by("pk")


@pytest.mark.parametrize("label", sorted(COUNTED))
def test_each_write_to_a_counted_table_marks_exactly_the_site_of_its_row(world, label):
    model, path = COUNTED[label]
    site_a, _site_b = world
    row = _rows_of(model, path, site_a).first()
    assert row is not None, f"tests/dashboards/world.py makes no {label} at a site: add one"
    one = model._base_manager.filter(pk=row.pk)
    if path is not None:  # the row belongs to site A alone, or the test proves nothing
        assert set(one.values_list(path, flat=True)) == {site_a.pk}
    field = next(f for f in model._meta.concrete_fields if not f.primary_key)

    def update():
        one.update(**{field.attname: F(field.attname)})

    def delete():
        # One DELETE statement, no cascade and no signal (constraints wait for the commit).
        one._raw_delete(one.db)

    def insert():
        model._base_manager.bulk_create([row])

    for write in (update, delete, insert):
        before = counts()
        write()
        assert moved(before, counts()) == {site_a.pk}, write.__name__


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite remakes tables to alter them")
def test_on_sqlite_the_triggers_step_aside_for_a_migrate_and_come_back(world):
    """SQLite refuses to rename a remade table into place while a trigger names it: the
    triggers go before a migrate (pre_migrate) and come back after it (post_migrate)."""

    def triggers():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                ["triad_changed_%"],
            )
            return cursor.fetchone()[0]

    assert triggers() == 3 * len(COUNTED)
    uninstall_for_migrations()
    assert triggers() == 0
    install()
    assert triggers() == 3 * len(COUNTED)
