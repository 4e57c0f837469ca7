"""A person who lacks a page's role gets 403 before the page looks for its object, so the answer
is the same whether the object exists or not; a person with the role who may not see the
object gets 404, like for one that does not exist.

The pages are found through the URLconf and the permission matrix's rows (tests/matrix/), in
the matrix's world: site A's objects, and site B's for the objects a person of site A may not
see."""

import pytest
from django.urls import reverse

from pilots.scoping import CoordinatorRequiredMixin
from tests.cases.factories import VignetteFactory
from tests.exchange.factories import AnnouncementFactory, LibraryItemFactory
from tests.matrix import OK, SITE_A_PEOPLE
from tests.test_permission_matrix import ROWS, _any_kwargs, view_class
from tests.workshops.factories import WorkshopFactory
from tests.world import shared_world, world_built_once  # noqa: F401 - the matrix's world

MISSING = 10**9


def coordinator_only_names():
    """Every URL whose view is for national coordinators only, found through its view class."""
    return sorted(
        name
        for name in ROWS
        if (cls := view_class(name)) is not None and issubclass(cls, CoordinatorRequiredMixin)
    )


def without_objects(kwargs):
    """The same URL kwargs with every object in them replaced by one that does not exist."""
    return {
        key: value if key == "site_slug" else MISSING if isinstance(value, int) else "missing"
        for key, value in kwargs.items()
    }


def statuses(client, person, url, data):
    client.force_login(person)
    return client.get(url).status_code, client.post(url, data).status_code


def test_every_page_only_coordinators_may_open_is_found_through_its_view():
    """A coordinator-only page with an object in its address whose view does not say so (its
    own check inside, perhaps after the lookup) would escape the walk below; the matrix's
    rows say which pages those are."""
    found = set(coordinator_only_names())
    only_coordinators = {
        name
        for name, row in ROWS.items()
        if row.get["coordinator"] == OK
        and all(row.get[p] == 403 for p in SITE_A_PEOPLE)
        and has_object(name)
    }
    assert only_coordinators - found == set()
    assert len(found) >= 30


@pytest.mark.parametrize("name", coordinator_only_names())
def test_non_coordinators_get_403_whether_or_not_the_object_exists(name, world, client):
    row = ROWS[name]
    existing = row.kwargs(world, world.a)
    urls = [reverse(name, kwargs=existing), reverse(name, kwargs=without_objects(existing))]
    data = row.post_data(world)
    for person in (*SITE_A_PEOPLE, "member_b"):
        # Under /sites/, site B's member meets the site's 404 before any page (pilots.scoping).
        expected = 404 if person == "member_b" and "site_slug" in existing else 403
        answers = [statuses(client, world.people[person], url, data) for url in urls]
        assert answers == [(expected, expected)] * 2, f"{person} {urls}: {answers}"


def has_object(name):
    return bool(set(_any_kwargs(name)) - {"site_slug"})


@pytest.mark.parametrize(
    "name",
    sorted(n for n, row in ROWS.items() if 403 in row.get.values() and has_object(n)),
)
def test_a_refusal_for_the_role_does_not_depend_on_the_object(name, world, client):
    """The same for every page: whoever is refused by role (403) for site A's object is
    refused the same way for an object that does not exist."""
    row = ROWS[name]
    url = reverse(name, kwargs=without_objects(row.kwargs(world, world.a)))
    for person, expected in row.get.items():
        if expected != 403:
            continue
        client.force_login(world.people[person])
        assert client.get(url).status_code == 403, f"{person} GET {url}"
        if row.post is not None and row.post[person] == 403:
            response = client.post(url, row.post_data(world))
            assert response.status_code == 403, f"{person} POST {url}"


# --- With the role, but not the object: 404 ---------------------------------------------------


def hidden_objects(w):
    """(URL name, kwargs, people): programme-level objects these people, who may use the page,
    may not see."""
    site_a_people = ("lead_a", "member_a", "steering_a")
    draft = WorkshopFactory(programme=w.a.programme, number=9, is_published=False)
    to_b = AnnouncementFactory(all_sites=False, sites=[w.b.site])
    site_vignette = VignetteFactory(site=w.a.site)
    site_item = LibraryItemFactory(site=w.a.site)
    return [
        # Another programme, and a workshop not yet published.
        ("workshops:programme_detail", {"pk": w.b.programme.pk}, site_a_people),
        ("workshops:workshop_detail", {"pk": w.b.workshop.pk}, site_a_people),
        ("workshops:workshop_detail", {"pk": draft.pk}, site_a_people),
        ("workshops:workshop_ics", {"pk": w.b.workshop.pk}, site_a_people),
        ("workshops:workshop_ics", {"pk": draft.pk}, site_a_people),
        ("workshops:workshop_register", {"pk": w.b.workshop.pk}, site_a_people),
        ("workshops:workshop_cancel", {"pk": draft.pk}, site_a_people),
        ("workshops:material_download", {"pk": w.b.material.pk}, site_a_people),
        # An announcement to another site; another site's thread and library item, and a
        # site's own ones asked for through the programme's pages.
        ("exchange:announcement_detail", {"pk": to_b.pk}, site_a_people),
        ("exchange:thread_detail", {"pk": w.b.exchange_thread.pk}, site_a_people),
        ("exchange:thread_detail", {"pk": w.a.exchange_thread.pk}, ("lead_a", "coordinator")),
        ("exchange:library_download", {"pk": w.b.library_item.pk}, site_a_people),
        ("exchange:library_download", {"pk": site_item.pk}, ("lead_a", "coordinator")),
        # Coordinators: a site's vignette is not one of the programme's.
        ("cases:programme_vignette_edit", {"pk": site_vignette.pk}, ("coordinator",)),
        ("cases:programme_vignette_compare", {"pk": site_vignette.pk}, ("coordinator",)),
        # At site A: site B's vignette, and a workshop of a programme site A is not in.
        ("cases:vignette_detail", {"site_slug": "site-a", "pk": w.b.vignette.pk}, site_a_people),
        (
            "workshops:site_registrations",
            {"site_slug": "site-a", "workshop_pk": w.b.workshop.pk},
            ("lead_a", "coordinator"),
        ),
        (
            "workshops:site_deliverable",
            {"site_slug": "site-a", "pk": w.b.deliverable.pk},
            ("lead_a", "member_a", "steering_a"),
        ),
    ]


def test_a_person_with_the_role_gets_404_for_an_object_they_may_not_see(world, client):
    world.b.vignette = VignetteFactory(site=world.b.site)
    for name, kwargs, people in hidden_objects(world):
        url = reverse(name, kwargs=kwargs)
        missing = reverse(name, kwargs=without_objects(kwargs))
        for person in people:
            client.force_login(world.people[person])
            assert client.get(url).status_code == 404, f"{person} GET {url}"
            assert client.get(missing).status_code == 404, f"{person} GET {missing}"
