"""pilots.access: the one place that says which sites a person works at, and `restrict(user)`,
the one way programme-level objects are read."""

import datetime
import pathlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cases.models import Vignette
from exchange.models import Announcement, LibraryItem, Thread
from pilots.access import RestrictedQuerySet, memberships_of, sites_of, takes_part
from pilots.models import Role
from tests.cases.factories import VignetteFactory
from tests.exchange.factories import AnnouncementFactory, LibraryItemFactory, ThreadFactory
from tests.pilots.factories import MembershipFactory, PilotSiteFactory, UserFactory
from tests.workshops.factories import (
    DeliverableFactory,
    MaterialFactory,
    ProgrammeFactory,
    WorkshopFactory,
)
from workshops.models import Deliverable, Material, Programme, Workshop

RESTRICTED = [
    "workshops.Programme",
    "workshops.Workshop",
    "workshops.Deliverable",
    "workshops.Material",
    "exchange.Announcement",
    "exchange.Thread",
    "exchange.LibraryItem",
    "cases.Vignette",
]


def pks(queryset):
    return sorted(queryset.values_list("pk", flat=True))


# --- Which sites a person works at ------------------------------------------------------------


def test_sites_of_are_the_sites_of_memberships_that_hold_today(site_a, site_b):
    person = MembershipFactory(site=site_a, role=Role.WORKING).user
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    MembershipFactory(
        site=site_b,
        user=person,
        starts_on=yesterday - datetime.timedelta(days=30),
        ends_on=yesterday,
    )
    later = PilotSiteFactory()
    MembershipFactory(
        site=later, user=person, starts_on=timezone.localdate() + datetime.timedelta(days=7)
    )

    assert sorted(sites_of(person).values_list("site", flat=True)) == [site_a.pk]
    assert {m.site for m in memberships_of(person)} == {site_a}
    assert {m.site for m in memberships_of(person, on=yesterday)} == {site_a, site_b}


def test_anonymous_works_nowhere_and_takes_no_part(db):
    assert not memberships_of(AnonymousUser()).exists()
    assert not takes_part(AnonymousUser())


def test_who_takes_part(coordinator, member_a, site_a):
    former = MembershipFactory(
        site=site_a,
        starts_on=datetime.date(2018, 1, 1),
        ends_on=datetime.date(2018, 6, 1),
    ).user
    assert takes_part(coordinator) and takes_part(member_a)
    assert not takes_part(former)
    assert not takes_part(UserFactory())


def test_no_other_module_works_out_a_persons_sites():
    """The seven places that each worked out "the sites this person works at" now ask
    pilots.access; a new one fails here."""
    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(
        r"Membership\.objects\.active\([^)]*\)\s*\.filter\([^)]*\buser=(?:user|request\.user)\b"
    )
    offenders = [
        str(path.relative_to(root))
        for app in ("pilots", "cases", "workshops", "dashboards", "exchange", "accounts", "infra")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "access.py"
        and pattern.search(" ".join(path.read_text().split()))
    ]
    assert offenders == []


def test_the_old_gates_are_gone():
    root = pathlib.Path(__file__).resolve().parents[2]
    old = re.compile(
        r"\b(visible_to|for_user|for_site|available_to|ScopeMixin|workshop_for|programmes_for|"
        r"my_site_ids)\b|objects\.programme\(\)"
    )
    offenders = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for app in ("pilots", "cases", "workshops", "dashboards", "exchange", "accounts", "infra")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        for m in old.finditer(path.read_text())
    ]
    assert offenders == []


# --- restrict(user) ---------------------------------------------------------------------------


@pytest.mark.parametrize("label", RESTRICTED)
def test_every_programme_level_model_reads_through_restrict(label):
    model = apps.get_model(label)
    queryset = model.objects.all()
    assert isinstance(queryset, RestrictedQuerySet)
    assert type(queryset).restriction is not RestrictedQuerySet.restriction


@pytest.mark.parametrize("label", RESTRICTED)
def test_restrict_gives_anonymous_nothing_and_coordinators_everything(label, coordinator):
    model = apps.get_model(label)
    assert model.objects.restrict(AnonymousUser()).query.is_empty()
    assert not model.objects.restrict(coordinator).query.where  # no condition at all


@pytest.fixture
def programmes(site_a, site_b):
    """Programme A with site A, programme B with site B; a published and a draft workshop in
    A, one in B; a deliverable and a material for each."""
    world = {}
    for key, site in (("a", site_a), ("b", site_b)):
        programme = ProgrammeFactory(sites=[site])
        workshop = WorkshopFactory(programme=programme, number=1)
        world[key] = {
            "programme": programme,
            "workshop": workshop,
            "deliverable": DeliverableFactory(workshop=workshop),
            "material": MaterialFactory(workshop=workshop),
        }
    draft = WorkshopFactory(programme=world["a"]["programme"], number=2, is_published=False)
    world["draft"] = {
        "workshop": draft,
        "deliverable": DeliverableFactory(workshop=draft),
        "material": MaterialFactory(workshop=draft),
    }
    return world


def test_programme_level_workshop_objects(programmes, coordinator, lead_a, member_b, site_a):
    a, b, draft = programmes["a"], programmes["b"], programmes["draft"]
    # Site A also in programme B, twice over (two memberships): no row is repeated.
    b["programme"].sites.add(site_a)
    MembershipFactory(site=site_a, user=lead_a, role=Role.WORKING)

    assert pks(Programme.objects.restrict(lead_a)) == sorted([a["programme"].pk, b["programme"].pk])
    assert pks(Programme.objects.restrict(member_b)) == [b["programme"].pk]
    assert pks(Workshop.objects.restrict(lead_a)) == sorted([a["workshop"].pk, b["workshop"].pk])
    assert pks(Workshop.objects.restrict(member_b)) == [b["workshop"].pk]
    assert draft["workshop"].pk in pks(Workshop.objects.restrict(coordinator))
    assert pks(Deliverable.objects.restrict(member_b)) == [b["deliverable"].pk]
    assert pks(Material.objects.restrict(member_b)) == [b["material"].pk]
    assert len(Deliverable.objects.restrict(coordinator)) == 3


def test_a_material_is_for_those_invited_to_its_workshop(programmes, lead_a, steering_a):
    workshop = programmes["a"]["workshop"]
    workshop.invited_roles = [Role.LEAD]
    workshop.save()
    material = programmes["a"]["material"]
    assert material in Material.objects.restrict(lead_a)
    assert material not in Material.objects.restrict(steering_a)
    # The workshop itself: everyone of the site sees it.
    assert workshop in Workshop.objects.restrict(steering_a)


def test_announcements_reach_the_sites_and_roles_they_are_addressed_to(
    coordinator, site_a, site_b, lead_a, member_a, member_b
):
    to_all = AnnouncementFactory(title="Alla")
    to_b = AnnouncementFactory(title="B", all_sites=False, sites=[site_b])
    to_leads = AnnouncementFactory(title="Ledare", roles=[Role.LEAD])
    later = AnnouncementFactory(
        title="Senare", published_at=timezone.now() + datetime.timedelta(days=1)
    )

    assert pks(Announcement.objects.restrict(lead_a)) == sorted([to_all.pk, to_leads.pk])
    assert pks(Announcement.objects.restrict(member_a)) == [to_all.pk]
    assert pks(Announcement.objects.restrict(member_b)) == sorted([to_all.pk, to_b.pk])
    assert later in Announcement.objects.restrict(coordinator)
    assert pks(Announcement.objects.restrict(UserFactory())) == []
    # At a site, what is addressed to it and to the person's roles there.
    at_a = Announcement.objects.restrict(lead_a).addressed_to(site_a, [Role.LEAD])
    assert pks(at_a) == sorted([to_all.pk, to_leads.pk])
    assert pks(Announcement.objects.all().addressed_to(site_a)) == sorted(
        [to_all.pk, to_leads.pk, later.pk]
    )


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Thread, lambda site: ThreadFactory(site=site)),
        (LibraryItem, lambda site: LibraryItemFactory(site=site)),
        (Vignette, lambda site: VignetteFactory(site=site)),
    ],
    ids=["thread", "library item", "vignette"],
)
def test_site_objects_and_the_programmes_own(
    model, make, coordinator, site_a, site_b, member_a, member_b
):
    programme_wide, of_a, of_b = make(None), make(site_a), make(site_b)
    former = MembershipFactory(
        site=site_a, starts_on=datetime.date(2018, 1, 1), ends_on=datetime.date(2018, 6, 1)
    ).user

    assert pks(model.objects.restrict(member_a)) == sorted([programme_wide.pk, of_a.pk])
    assert pks(model.objects.restrict(member_b)) == sorted([programme_wide.pk, of_b.pk])
    assert len(model.objects.restrict(coordinator)) == 3
    # Someone who no longer works at any site reads none of it, the programme's included.
    assert pks(model.objects.restrict(former)) == []
