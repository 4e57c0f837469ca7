import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the content type (and so permissions and admin history) of a database made before
    the move: relabel pilots.auditevent rather than leave it stale and make a new one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="infra", model="auditevent").exists():
        ContentType.objects.filter(app_label="pilots", model="auditevent").update(app_label="infra")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="infra", model="auditevent").update(app_label="pilots")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('pilots', '0006_invitation_and_audit_move_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    # Moved from pilots: the table pilots_auditevent (and its append-only trigger) already exists.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='AuditEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('login', 'Signed in'), ('login_failed', 'Failed sign-in'), ('logout', 'Signed out'), ('mfa_failed', 'Wrong two-factor code'), ('mfa_changed', 'Two-factor settings changed'), ('refused', 'Refused request'), ('throttled', 'Too many attempts'), ('sessions_ended', 'Sessions ended'), ('retention', 'Cases removed after the retention period')], max_length=16, verbose_name='what')),
                    ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                    ('user_email', models.CharField(blank=True, max_length=254, verbose_name='e-mail address')),
                    ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='address')),
                    ('method', models.CharField(blank=True, max_length=8, verbose_name='method')),
                    ('path', models.CharField(blank=True, max_length=300, verbose_name='page')),
                    ('status', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='status')),
                    ('site_slug', models.CharField(blank=True, max_length=60, verbose_name='site')),
                    ('detail', models.JSONField(blank=True, default=dict, verbose_name='detail')),
                    ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ],
                options={
                    'verbose_name': 'security event',
                    'verbose_name_plural': 'security events',
                    'db_table': 'pilots_auditevent',
                    'ordering': ['-at', '-pk'],
                    'indexes': [models.Index(fields=['kind', '-at'], name='audit_event_kind_at')],
                },
            ),
            ],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
