import accounts.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the content type (and so permissions and admin history) of a database made before
    the move: relabel pilots.invitation rather than leave it stale and make a new one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="accounts", model="invitation").exists():
        ContentType.objects.filter(app_label="pilots", model="invitation").update(app_label="accounts")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="accounts", model="invitation").update(app_label="pilots")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('pilots', '0006_invitation_and_audit_move_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    # Moved from pilots: the table pilots_invitation already exists and keeps its name.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Invitation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                    ('full_name', models.CharField(blank=True, max_length=150, verbose_name='name')),
                    ('role', models.CharField(blank=True, choices=[('lead', 'Project lead'), ('working', 'Working-group member'), ('steering', 'Steering-group member')], max_length=16, verbose_name='role')),
                    ('as_coordinator', models.BooleanField(default=False, verbose_name='as national coordinator')),
                    ('actor', models.CharField(blank=True, choices=[('school', 'School and student health'), ('social', 'Social services'), ('health', 'Healthcare')], max_length=16, verbose_name='actor')),
                    ('title', models.CharField(blank=True, max_length=120, verbose_name='role title')),
                    ('hours_per_week', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True, verbose_name='hours per week set aside')),
                    ('token_digest', models.CharField(editable=False, max_length=64, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='sent')),
                    ('expires_at', models.DateTimeField(default=accounts.models._default_expiry, verbose_name='valid until')),
                    ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted')),
                    ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                    ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                    ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pilots.organisation', verbose_name='organisation')),
                    ('site', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='pilots.pilotsite', verbose_name='site')),
                    ('succeeds', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='pilots.membership', verbose_name='succeeds')),
                ],
                options={
                    'verbose_name': 'invitation',
                    'verbose_name_plural': 'invitations',
                    'db_table': 'pilots_invitation',
                    'ordering': ['-created_at'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('as_coordinator', True), models.Q(('site__isnull', False), models.Q(('role', ''), _negated=True)), _connector='OR'), name='invitation_has_role')],
                },
            ),
            ],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
