from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('pilots', '0005_audit_two_factor_events'),
    ]

    # Invitation moved to accounts, AuditEvent to infra; their tables stay as they are.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='invitation',
                name='accepted_by',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='invited_by',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='organisation',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='site',
            ),
            migrations.RemoveField(
                model_name='invitation',
                name='succeeds',
            ),
            migrations.DeleteModel(
                name='AuditEvent',
            ),
            migrations.DeleteModel(
                name='Invitation',
            ),
            ],
        ),
    ]
