from django.db import migrations


class Migration(migrations.Migration):
    """The count of groups reached is no longer typed in: it comes from the recorded groups
    that took part in a session (Intervention.objects.reach)."""

    dependencies = [
        ("cases", "0012_sessions_groups_from_their_attendance"),
    ]

    operations = [
        migrations.RemoveField(model_name="intervention", name="groups_reached"),
    ]
