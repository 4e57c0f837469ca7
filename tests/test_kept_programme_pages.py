"""Programme-wide pages drawn once and kept (infra/kept.py, KeptBodyMixin): a thread, the
library, a vignette's answers, a workshop's attendance and the sites' progress. Each is kept
under the programme's count of data changes and every site's (dashboards/changes.py), the day
and the reader. A change anywhere they read — however it is written — draws them again; every
table a kept page reads is counted; case work never touches the programme's count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import Vignette, VignetteStage
from dashboards.changes import tracked
from dashboards.models import ProgrammeDataVersion
from dashboards.programme_changes import programme_tracked
from exchange import services
from exchange.models import Post, Thread
from infra import kept
from infra.kept import KeptBodyMixin
from tests.cases.factories import (
    CaseFactory,
    VignetteFactory,
    VignetteResponseFactory,
    VignetteStageFactory,
)
from tests.exchange.factories import LibraryItemFactory
from tests.workshops.factories import (
    DeliverableFactory,
    ProgrammeFactory,
    RegistrationFactory,
    WorkshopFactory,
)
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site_a, site_b, lead_a, coordinator):
    programme = ProgrammeFactory(name="Utvecklingsarbetet 2018", sites=[site_a, site_b])
    workshop = WorkshopFactory(programme=programme, number=1, title="Uppstart")
    DeliverableFactory(workshop=workshop, title="Projektplan")
    RegistrationFactory(workshop=workshop, site=site_a, user=lead_a)
    vignette = VignetteFactory(title="Frånvaro")
    stage = VignetteStageFactory(vignette=vignette, title="Första signalen")
    VignetteResponseFactory(site=site_a, stage=stage, text="Mentorn ringer hem.")
    thread = services.start_thread(
        site=None, title="Hur når ni vårdnadshavare?", body="Vi börjar med sms.", author=lead_a
    )
    LibraryItemFactory(title="Mall för samtycke")
    return {
        "thread": reverse("exchange:thread_detail", kwargs={"pk": thread.pk}),
        "library": reverse("exchange:library_list") + "?q=samtycke",
        "vignette": reverse("cases:programme_vignette_compare", kwargs={"pk": vignette.pk}),
        "attendance": reverse("workshops:workshop_attendance", kwargs={"pk": workshop.pk}),
        "progress": reverse("workshops:programme_progress", kwargs={"pk": programme.pk}),
        "thread_obj": thread,
        "vignette_obj": vignette,
        "workshop_obj": workshop,
    }


PAGES = ["thread", "library", "vignette", "attendance", "progress"]


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def unmasked(html):
    return CSRF.sub("", html)


def body_drawn(response):
    return any(t.name.endswith("_body.html") for t in response.templates)


@pytest.mark.parametrize("page", PAGES)
def test_the_second_reading_is_the_kept_drawing(client_for, coordinator, world, page):
    client = client_for(coordinator)
    first = client.get(world[page])
    assert first.status_code == 200 and body_drawn(first)
    second = client.get(world[page])
    assert not body_drawn(second)
    # The same drawing, each with the reader's CSRF token (masked anew for every response).
    assert unmasked(second.context["body"]) == unmasked(first.context["body"])


def kept_views():
    """Every view class in the URLconf that keeps its body."""
    found = set()

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                view = getattr(p.callback, "view_class", None)
                if view and issubclass(view, KeptBodyMixin):
                    found.add(view.__name__)

    walk(get_resolver().url_patterns)
    return found


def test_every_kept_page_is_opened_here():
    # A new page that keeps its body joins PAGES (and the table check below).
    assert kept_views() == {
        "ThreadDetailView",
        "LibraryListView",
        "ProgrammeVignetteCompareView",
        "AttendanceView",
        "ProgrammeProgressView",
    }


TABLE = re.compile(r'(?:FROM|JOIN) "?(\w+)"?')


@pytest.mark.parametrize("page", PAGES)
def test_every_table_a_kept_page_reads_is_counted(
    client_for, coordinator, world, page, monkeypatch
):
    """The key is only as good as the counts under it: every table the drawing reads must be
    counted for a site or for the programme."""
    read = []
    compute_kept = kept.kept

    def capturing(name, parts, compute, **kwargs):
        def captured():
            with CaptureQueriesContext(connection) as queries:
                value = compute()
            read.extend(q["sql"] for q in queries.captured_queries)
            return value

        return compute_kept(name, parts, captured, **kwargs)

    monkeypatch.setattr(kept, "kept", capturing)
    assert client_for(coordinator).get(world[page]).status_code == 200
    tables = {t for sql in read for t in TABLE.findall(sql)}
    counted = {m._meta.db_table for m in [*tracked(), *programme_tracked()]}
    assert tables and tables <= counted, tables - counted


def test_a_reply_is_shown_at_once(client_for, coordinator, lead_a, world):
    client = client_for(coordinator)
    assert "Vi testar brev" not in client.get(world["thread"]).content.decode()
    services.add_post(world["thread_obj"], author=lead_a, body="Vi testar brev.")
    assert "Vi testar brev" in client.get(world["thread"]).content.decode()


def test_a_bulk_update_draws_again(client_for, coordinator, world):
    # No model signal: the database counts the write itself.
    client = client_for(coordinator)
    client.get(world["vignette"])
    client.get(world["attendance"])
    VignetteStage.objects.filter(vignette=world["vignette_obj"]).update(title="Andra signalen")
    Workshop.objects.filter(pk=world["workshop_obj"].pk).update(title="Omstart")
    assert "Andra signalen" in client.get(world["vignette"]).content.decode()
    assert "Omstart" in client.get(world["attendance"]).content.decode()


def test_a_hidden_post_is_hidden_at_once(client_for, lead_a, world):
    client = client_for(lead_a)
    services.add_post(world["thread_obj"], author=world["thread_obj"].created_by, body="Ring oss.")
    assert "Ring oss." in client.get(world["thread"]).content.decode()
    Post.objects.filter(body="Ring oss.").delete()
    assert "Ring oss." not in client.get(world["thread"]).content.decode()


def test_a_thread_is_drawn_for_each_reader(client, coordinator, lead_a, world):
    world["thread_obj"].follow(coordinator)
    client.force_login(coordinator)
    as_coordinator = client.get(world["thread"]).content.decode()
    client.force_login(lead_a)
    as_lead = client.get(world["thread"]).content.decode()
    # The lead started the thread and follows it; the coordinator follows it too; each page
    # says so for its own reader, and only the coordinator may hide posts.
    assert "Dölj" in as_coordinator and "Dölj" not in as_lead


def test_case_work_leaves_the_programme_count_alone(site_a):
    """Cases are written all day at every site: their writes move their own site's count,
    never the one row every programme-wide page shares."""
    before = ProgrammeDataVersion.of_all()[0]
    CaseFactory(site=site_a)
    assert ProgrammeDataVersion.of_all()[0] == before


def test_programme_writes_move_the_programme_count(world):
    before = ProgrammeDataVersion.of_all()[0] or 0
    Thread.objects.filter(pk=world["thread_obj"].pk).update(title="Ny rubrik")
    assert ProgrammeDataVersion.of_all()[0] == before + 1
    Vignette.objects.filter(pk=world["vignette_obj"].pk).delete()
    assert ProgrammeDataVersion.of_all()[0] > before + 1
