"""After each transactional test the suite puts back the rows the migrations made
(tests/conftest.py, tests/migrating.py): rows made afterwards get ids of their own."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from tests.migrating import put_back_migrated_rows


@pytest.mark.django_db(transaction=True)
def test_a_row_made_after_the_put_back_collides_with_none_put_back():
    """A content type made afterwards collided with a restored one at id 1 (CI: in one process
    after the backup and migration tests)."""
    put_back_migrated_rows(connection.creation.serialize_db_to_string(), empty_first=True)
    made = ContentType.objects.create(app_label="tests", model="made_after_the_put_back")
    assert made.pk > max(ContentType.objects.exclude(pk=made.pk).values_list("pk", flat=True))
    ContentType.objects.clear_cache()
