"""On PostgreSQL the database refuses to change or delete a line of the case access record,
with the function and exceptions described in pilots 0004. On SQLite it does nothing."""

from django.db import migrations

TRIGGER = """
CREATE TRIGGER cases_caseaccess_append_only
BEFORE UPDATE OR DELETE ON cases_caseaccess
FOR EACH ROW EXECUTE FUNCTION triad_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS cases_caseaccess_append_only ON cases_caseaccess;"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_offer_pals_and_yam"),
        ("pilots", "0004_audit_records_append_only_in_postgresql"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
