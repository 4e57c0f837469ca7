"""Data built once per test module and process instead of once per test: inside a transaction
that is rolled back when the module is done, with each test in a savepoint within it
(pytest-django's `db`), so every test meets the data as it was built. For data that is slow
to build and that many tests only read or change and throw away: the permission matrix's
world (tests/world.py), the demo (seed_demo). The data stays until the module is done, also for
its tests that do not ask for it: a test that needs an empty database goes in another module.

    @pytest.fixture(scope="module")
    def built(django_db_setup, django_db_blocker, tmp_path_factory):
        with for_the_module(django_db_blocker, tmp_path_factory) as media:
            yield build()

    @pytest.fixture
    def data(built, db, settings, tmp_path):
        own_copy_of_files(built.media, tmp_path, settings)
        return built
"""

import shutil
from contextlib import contextmanager

from django.db import transaction
from django.test import override_settings
from django_scopes import scopes_disabled


@contextmanager
def for_the_module(django_db_blocker, tmp_path_factory):
    """Yields the folder the data's files go to."""
    media = tmp_path_factory.mktemp("module-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with scopes_disabled():
                yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def own_copy_of_files(media, tmp_path, settings):
    """The test works on its own copy of the module's files: its database changes are rolled
    back after it, but a file it deletes (a material's, with its row) would stay deleted for the
    next test."""
    own = tmp_path / "module-media"
    shutil.copytree(media, own)
    settings.MEDIA_ROOT = own
