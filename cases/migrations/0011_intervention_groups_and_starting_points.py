import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import infra.pnr
import pilots.models.starting_points


class Migration(migrations.Migration):
    """General interventions record the groups they are for (with their size), a session says
    which of them took part and how many pupils were present (its former "pupils reached",
    which was attendance), and an intervention says which starting points it serves."""

    dependencies = [
        ("cases", "0010_practical_tests_predict_in_figures"),
    ]

    operations = [
        migrations.CreateModel(
            name="InterventionGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="E.g. 8A, or the whole school.",
                        max_length=100,
                        validators=[infra.pnr.PersonalNumberValidator()],
                        verbose_name="group or class",
                    ),
                ),
                (
                    "size",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="pupils in it",
                    ),
                ),
                (
                    "intervention",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="groups",
                        to="cases.intervention",
                        verbose_name="intervention",
                    ),
                ),
            ],
            options={
                "verbose_name": "group or class",
                "verbose_name_plural": "groups or classes",
                "ordering": ["name", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("intervention", "name"), name="intervention_group_unique_name"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("size__gte", 1)), name="intervention_group_has_pupils"
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="interventionsession",
            name="groups",
            field=models.ManyToManyField(
                help_text="The groups that took part.",
                related_name="sessions",
                to="cases.interventiongroup",
                verbose_name="groups or classes",
            ),
        ),
        migrations.RenameField(
            model_name="interventionsession", old_name="pupils_reached", new_name="attendance"
        ),
        migrations.AlterField(
            model_name="interventionsession",
            name="attendance",
            field=models.PositiveSmallIntegerField(
                help_text="How many pupils were there, of the groups chosen.",
                verbose_name="pupils present",
            ),
        ),
        migrations.AddField(
            model_name="intervention",
            name="starting_points",
            field=pilots.models.starting_points.StartingPointsField(
                blank=True,
                default=list,
                help_text="Which of the programme's four starting points the intervention serves.",
                verbose_name="starting points",
            ),
        ),
        migrations.AlterField(
            model_name="practicaltest",
            name="starting_points",
            field=pilots.models.starting_points.StartingPointsField(
                default=list,
                help_text="Which of the programme's four starting points the test serves.",
                verbose_name="starting points",
            ),
        ),
    ]
