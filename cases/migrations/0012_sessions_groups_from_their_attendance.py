from django.db import migrations
from django.db.models import Max


def one_group_per_intervention(apps, schema_editor):
    """Sessions logged before groups were recorded said only how many pupils were present.
    Each intervention with sessions gets one group, named by its description of the groups,
    as large as its best-attended session, and every session took part with it: its pupils
    reached are then counted once, never summed over the sessions again."""
    Intervention = apps.get_model("cases", "Intervention")
    InterventionGroup = apps.get_model("cases", "InterventionGroup")
    InterventionSession = apps.get_model("cases", "InterventionSession")
    Through = InterventionSession.groups.through
    largest = (
        Intervention._base_manager.filter(sessions__isnull=False)
        .annotate(size=Max("sessions__attendance"))
        .values_list("pk", "groups_description", "size")
    )
    for pk, description, size in largest:
        group = InterventionGroup._base_manager.create(
            intervention_id=pk,
            name=(description or "Alla grupper")[:100],
            size=max(size or 0, 1),
        )
        Through._base_manager.bulk_create(
            Through(interventionsession_id=session, interventiongroup_id=group.pk)
            for session in InterventionSession._base_manager.filter(
                intervention_id=pk
            ).values_list("pk", flat=True)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_intervention_groups_and_starting_points"),
    ]

    operations = [
        migrations.RunPython(one_group_per_intervention, migrations.RunPython.noop),
    ]
