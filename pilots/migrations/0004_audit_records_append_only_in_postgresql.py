"""On PostgreSQL the database itself refuses to change or delete a line of the audit records
(pilots_auditevent here; cases_caseaccess in cases 0003), whatever the application does.

Two narrow exceptions, both documented in SECURITY.md:
- deleting is allowed inside a transaction that has run `SET LOCAL triad.retention = 'on'`:
  the retention task does so when it removes a closed site's cases with their access lines;
- an UPDATE that only empties `user_id` is allowed: that is PostgreSQL carrying out
  ON DELETE SET NULL when a person is deleted (their e-mail stays copied in the line).

TRUNCATE is not covered: it needs the table's owner, and the test runner empties tables with
it. In production the application's database role should not own the tables (SECURITY.md).
On SQLite this migration does nothing; the models' own guards still apply there."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION triad_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('triad.retention', true) = 'on' THEN
            RETURN OLD;
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
           AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the audit record % is append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
CREATE TRIGGER {table}_append_only
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION triad_audit_append_only();
"""

DROP_TRIGGER = "DROP TRIGGER IF EXISTS {table}_append_only ON {table};"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # its % is plpgsql, not a placeholder
    schema_editor.execute(TRIGGER.format(table="pilots_auditevent"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_TRIGGER.format(table="pilots_auditevent"))


class Migration(migrations.Migration):
    dependencies = [("pilots", "0003_security_audit_record")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
