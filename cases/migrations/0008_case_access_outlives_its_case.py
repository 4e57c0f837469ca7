"""A case access line outlives its case: retention removes the case and empties the line's link
to it (the code stays copied in). On PostgreSQL the append-only function (pilots 0004) lets
one more UPDATE through: emptying `case_id` and nothing else, which is PostgreSQL's or Django's
SET NULL when a case is removed, and only while retention runs (`triad.retention` on)."""

import django.db.models.deletion
from django.db import migrations, models

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
        IF current_setting('triad.retention', true) = 'on'
           AND (to_jsonb(OLD) ->> 'case_id') IS NOT NULL
           AND (to_jsonb(NEW) ->> 'case_id') IS NULL
           AND (to_jsonb(NEW) - 'case_id') = (to_jsonb(OLD) - 'case_id') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the audit record % is append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS = """
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


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)  # its % is plpgsql, not a placeholder


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_consent_can_be_withdrawn"),
        ("pilots", "0004_audit_records_append_only_in_postgresql"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseaccess",
            name="case",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="accesses",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
