"""One scoping mechanism that refuses to be forgotten (pilots/models/scoped.py and the
middleware in pilots/scoping.py). These tests run with no scope open (`site_scope`), as a new
process, a Celery worker or a management command does."""

import importlib
import importlib.util
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from celery import current_app
from django.apps import apps
from django.core.management import call_command
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from cases.models import Case, PracticalTest
from pilots.models import Membership, Phase, PhaseChange, PilotSite, Role
from pilots.scoping import AdminScopeMiddleware, SiteScopeMiddleware
from tests.cases.factories import CaseFactory, PracticalTestFactory
from tests.pilots.factories import MembershipFactory, PilotSiteFactory, UserFactory

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.site_scope, pytest.mark.django_db]

# Models that belong to a pilot site and are read through it; everything else is either the
# structure the middleware reads to open the scope (PilotSite, Membership), a person's own
# rows, or programme-level rows read through `restrict(user)`.
SCOPED = {
    "pilots.PlanDocument",
    "pilots.PlanVersion",
    "pilots.SteeringMeeting",
    "pilots.Decision",
    "pilots.Action",
    "pilots.PhaseChange",
    "pilots.School",
    "cases.CaseAccess",
    "cases.AccessReview",
    "cases.AccessReviewItem",
    "cases.Case",
    "cases.CaseConsent",
    "cases.CaseEvent",
    "cases.CaseChange",
    "cases.Intervention",
    "cases.InterventionGroup",
    "cases.InterventionSession",
    "cases.FidelityCheck",
    "cases.PracticalTest",
    "cases.VignetteResponse",
    "workshops.Delivery",
    "workshops.DeliveryEvent",
    "workshops.Registration",
    "dashboards.SiteSummary",
    "dashboards.SiteMonth",
    "dashboards.SummaryRequest",
    "dashboards.SentDigest",
    "dashboards.SummaryPdf",
    "dashboards.ChartSettings",
}


def two_sites():
    with scopes_disabled():
        site_a = PilotSiteFactory(name="Område A", slug="site-a", case_code_prefix="AAA")
        site_b = PilotSiteFactory(name="Område B", slug="site-b", case_code_prefix="BBB")
        for site, title in ((site_a, "Test i A"), (site_b, "Test i B")):
            test = PracticalTestFactory(site=site, title=title)
            CaseFactory(site=site, practical_test=test)
        lead = MembershipFactory(site=site_a, role=Role.LEAD).user
    return site_a, site_b, lead


def test_every_model_that_belongs_to_a_site_refuses_a_query_outside_a_scope():
    refusing = set()
    for model in apps.get_models():
        try:
            model.objects.count()
        except ScopeError:
            refusing.add(model._meta.label)
        except AttributeError:  # no `objects` manager (e.g. Django's own through tables)
            pass
    assert refusing == SCOPED
    assert {"pilots.PilotSite", "pilots.Membership"}.isdisjoint(refusing)


def test_every_way_of_running_a_query_refuses_and_says_which_scope():
    site_a, _, _ = two_sites()
    attempts = {
        "count": lambda: PracticalTest.objects.count(),
        "iterate": lambda: list(PracticalTest.objects.all()),
        "exists": lambda: PracticalTest.objects.exists(),
        "own method": lambda: Case.objects.open(),
        "related": lambda: list(site_a.practical_tests.all()),
        "get": lambda: PracticalTest.objects.get(title="Test i A"),
        "values": lambda: PracticalTest.objects.values_list("title"),
        "update": lambda: PracticalTest.objects.update(title="x"),
        "in_bulk": lambda: PracticalTest.objects.in_bulk(),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ScopeError, match=r"no 'site' scope is active") as raised:
            attempt()
        assert "cases.PracticalTest" in str(raised.value) or "cases.Case" in str(raised.value), name
    with scopes_disabled():
        assert PracticalTest.objects.filter(title__startswith="Test i").count() == 2


def test_a_plain_all_inside_a_sites_scope_returns_only_that_sites_rows():
    site_a, site_b, _ = two_sites()
    with scope(site=[site_a.pk]):
        assert [t.title for t in PracticalTest.objects.all()] == ["Test i A"]
        assert {c.site_id for c in Case.objects.all()} == {site_a.pk}
        # A related manager cannot reach round the scope either.
        assert list(site_b.practical_tests.all()) == []
    with scope(site=[site_a.pk, site_b.pk]):
        assert PracticalTest.objects.count() == 2


def test_the_unscoped_query_from_a_shell_raises_an_error_naming_the_scope():
    code = "from cases.models import PracticalTest; PracticalTest.objects.count()"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django_scopes.exceptions.ScopeError: cases.PracticalTest")
    assert "scope(site=…)" in last


def request_to(path, user):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_a_site_page_sees_its_site_and_another_page_the_persons_sites():
    site_a, _, lead = two_sites()
    seen = {}

    def view(request):
        seen[request.path] = sorted(PracticalTest.objects.values_list("title", flat=True))
        return HttpResponse()

    middleware = SiteScopeMiddleware(view)
    middleware(request_to(f"/sites/{site_a.slug}/", lead))
    middleware(request_to("/", lead))
    with scopes_disabled():
        coordinator = UserFactory(is_coordinator=True)
    middleware(request_to("/", coordinator))
    assert seen == {f"/sites/{site_a.slug}/": ["Test i A"], "/": ["Test i A", "Test i B"]}
    # The lead's own home page shows their one site; the coordinator's shows every site.


def test_a_person_who_left_a_site_no_longer_sees_its_rows_on_programme_pages():
    site_a, _, lead = two_sites()
    Membership.objects.filter(user=lead).update(starts_on="1999-01-01", ends_on="2000-01-01")
    seen = []

    def view(request):
        seen.append(PracticalTest.objects.count())
        return HttpResponse()

    SiteScopeMiddleware(view)(request_to("/", lead))
    assert seen == [0]


def test_a_streamed_response_keeps_its_scope_while_it_streams():
    site_a, _, lead = two_sites()

    def view(request):
        rows = (f"{t.title}\n" for t in PracticalTest.objects.order_by("title"))
        return StreamingHttpResponse(rows)

    response = SiteScopeMiddleware(view)(request_to(f"/sites/{site_a.slug}/", lead))
    # The view has returned and the middleware's scope is closed; the rows are read now.
    assert b"".join(response.streaming_content) == b"Test i A\n"


def test_the_admin_reads_every_site_and_says_so_in_its_own_middleware():
    two_sites()
    seen = []

    def view(request):
        seen.append(PracticalTest.objects.count())
        return HttpResponse()

    with scopes_disabled():
        staff = UserFactory(is_staff=True, is_superuser=True)
    stack = SiteScopeMiddleware(AdminScopeMiddleware(view))
    stack(request_to("/admin/cases/practicaltest/", staff))
    stack(request_to("/", staff))
    assert seen == [2, 0]


def test_the_admin_changelist_lists_every_sites_rows(client):
    two_sites()
    with scopes_disabled():
        staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get("/admin/cases/practicaltest/").content.decode()
    assert "Test i A" in page and "Test i B" in page


def test_a_site_page_through_the_client_shows_only_its_own_site(client):
    site_a, _, lead = two_sites()
    client.force_login(lead)
    page = client.get(f"/sites/{site_a.slug}/tests/").content.decode()
    assert "Test i A" in page and "Test i B" not in page


# Arguments for the tasks that act on one object, found in the demo data.
def task_arguments():
    from exchange.models import Announcement
    from workshops.models import SentReminder

    with scopes_disabled():
        return {
            "dashboards.tasks.build_site_summary": {"site_id": PilotSite.objects.first().pk},
            "exchange.tasks.send_announcement": {
                "announcement_id": Announcement.objects.first().pk
            },
            "workshops.tasks.send_reminder": {
                "reminder_id": SentReminder.objects.order_by("pk").first().pk
            },
            "pilots.tasks.send_email": {
                "to": ["a@example.org"],
                "subject": "s",
                "text": "t",
                "html": "<p>t</p>",
            },
        }


@pytest.mark.usefixtures("mailoutbox")
def test_every_registered_task_and_command_runs_with_no_scope_open(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # The commands, too, open their own scope (no scope is open here).
    call_command("seed_demo", stdout=StringIO())
    call_command("dispatch_reminders", stdout=StringIO())
    call_command("build_summaries", stdout=StringIO())
    with scopes_disabled():
        # A site closed long ago, so the retention scan has cases to remove.
        closed = PilotSite.objects.filter(cases__isnull=False).first()
        PilotSite.objects.filter(pk=closed.pk).update(phase=Phase.CLOSED)
        change = PhaseChange.objects.create(
            site=closed, from_phase=Phase.REPORTING, to_phase=Phase.CLOSED
        )
        PhaseChange.objects.filter(pk=change.pk).update(changed_at="2015-01-01T00:00:00Z")
    current_app.loader.import_default_modules()  # every app's tasks module, as a worker does
    ours = sorted(
        name
        for name in current_app.tasks
        if name.split(".")[0] in {c.name for c in apps.get_app_configs()}
    )
    assert len(ours) == 11, ours
    arguments = task_arguments()
    for name in ours:
        current_app.tasks[name].apply(kwargs=arguments.get(name, {}), throw=True)
    with scopes_disabled():
        assert not Case.objects.filter(site=closed).exists()  # the scan did reach the site


def our_form_classes():
    from django import forms

    ours = {c.name for c in apps.get_app_configs() if (ROOT / c.name).is_dir()}
    seen, stack = set(), [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [f for f in seen if f.__module__.split(".")[0] in ours and hasattr(f, "base_fields")]


def test_no_form_can_list_a_sites_rows_from_a_queryset_built_at_import():
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.forms"):
            importlib.import_module(f"{config.name}.forms")
    site_a, _, _ = two_sites()
    checked = 0
    with scope(site=[site_a.pk]):
        for form in our_form_classes():
            for name, field in form.base_fields.items():
                queryset = getattr(field, "queryset", None)
                if queryset is None or queryset.model._meta.label not in SCOPED:
                    continue
                checked += 1
                try:
                    rows = list(queryset)
                except ScopeError:
                    continue  # refused: the form must set its choices per request
                assert rows == [], f"{form.__name__}.{name} lists rows chosen at import"
    assert checked > 0
