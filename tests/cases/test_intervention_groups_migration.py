"""Sessions logged before groups were recorded carried a count of pupils each, which the pages
summed. The migration gives each such intervention one group as large as its best-attended
session, taking part in all of them: its pupils are then counted once."""

import datetime

import pytest
from django_scopes import scopes_disabled

from cases.models import Intervention, Reach
from tests.migrating import migrate, migrate_to_the_latest

BEFORE_GROUPS = [("cases", "0010_practical_tests_predict_in_figures")]


@pytest.mark.django_db(transaction=True)
def test_sessions_summed_before_groups_count_their_pupils_once_after():
    old = migrate(BEFORE_GROUPS)
    Organisation = old.get_model("pilots", "Organisation")
    site = old.get_model("pilots", "PilotSite").objects.create(
        name="Gruppby",
        slug="gruppby",
        case_code_prefix="GRP",
        municipality=Organisation.objects.create(name="Gruppby kommun", kind="municipality"),
        region=Organisation.objects.create(name="Region Grupp", kind="region"),
    )
    school = old.get_model("pilots", "School").objects.create(site=site, name="Gruppskolan")
    programmes = old.get_model("cases", "InterventionProgramme").objects
    # Offered by a data migration; a transactional test before this one empties the tables.
    for short_name in ("YAM", "PALS"):
        programmes.get_or_create(short_name=short_name, defaults={"name": short_name})
    OldIntervention = old.get_model("cases", "Intervention")
    yam = OldIntervention.objects.create(
        site=site,
        school=school,
        programme=programmes.get(short_name="YAM"),
        status="running",
        groups_reached=4,
        groups_description="Alla klasser i åk 8",
    )
    OldIntervention.objects.create(
        site=site, school=school, programme=programmes.get(short_name="PALS"), groups_reached=2
    )
    for week, pupils in enumerate((96, 92, 88)):
        old.get_model("cases", "InterventionSession").objects.create(
            intervention=yam,
            held_on=datetime.date(2018, 10, 2) + datetime.timedelta(weeks=week),
            instructors="Två YAM-instruktörer",
            pupils_reached=pupils,
        )

    migrate_to_the_latest()

    with scopes_disabled():
        migrated = Intervention.objects.get(pk=yam.pk)
        assert list(migrated.groups.values_list("name", "size")) == [("Alla klasser i åk 8", 96)]
        assert sorted(migrated.sessions.values_list("attendance", flat=True)) == [88, 92, 96]
        assert migrated.reach() == Reach(groups=1, pupils=96, sessions=3, attendance=276)
        # Without sessions nothing was reached: no group is made up for it.
        pals = Intervention.objects.exclude(pk=yam.pk).get()
        assert not pals.groups.exists() and pals.reach() == Reach()
