"""Runs inside Django for `bench/run.py` (python bench/prepare.py <what>) and prints one JSON
object: how much data the configured database holds, and — for `serve` — the bench people's
TOTP set up and the addresses of the pages to measure, with real objects picked for each."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.core.management import get_commands  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from cases.models import Case, CaseEvent, PracticalTest, Vignette  # noqa: E402
from demo.scale import commons  # noqa: E402
from demo.scale import fiction as scale  # noqa: E402
from demo.scale.workshop_round import PROGRAMME  # noqa: E402
from exchange.models import Thread  # noqa: E402
from pilots.models import PilotSite, School, User  # noqa: E402
from workshops.models import Programme, Workshop  # noqa: E402

SAMPLE_CASES = 20
PER_PAGE = 25  # the case list's page
DEEP = 0.75  # how far into a list the deep page lies
LIBRARY_QUERY = "samtycke"  # found in a few of the library's titles and descriptions


def counts():
    """The national-scale sites (skala-<n>) and, apart, the big cities and the commons."""
    scale_sites = {"site__slug__startswith": scale.SLUG_PREFIX}
    city = PilotSite.objects.filter(slug__startswith=scale.CITY_PREFIX)
    return {
        "sites": PilotSite.objects.filter(slug__startswith=scale.SLUG_PREFIX).count(),
        "schools": School.objects.filter(**scale_sites).count(),
        "cases": Case.objects.filter(**scale_sites).count(),
        "events": CaseEvent.objects.filter(case__site__slug__startswith=scale.SLUG_PREFIX).count(),
        "city": {
            "sites": city.count(),
            "schools": School.objects.filter(site__in=city).count(),
            "cases": Case.objects.filter(site__in=city).count(),
            "tests": PracticalTest.objects.filter(site__in=city).count(),
        },
        "commons": commons.counts(),
        "has_build_summaries": "build_summaries" in get_commands(),
    }


def url(name, query="", **kwargs):
    return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


def lead_of(site, totp_secret):
    lead = User.objects.get(email=f"lead.{site.slug}@{scale.DOMAIN}")
    # Production asks for TOTP before case pages; the bench leads have it, so that path is
    # measured.
    if not Authenticator.objects.filter(user=lead, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(lead, totp_secret)
    return lead


def busiest_test(site):
    return (
        PracticalTest.objects.filter(site=site)
        .annotate(n=Count("cases"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
        .first()
    )


def deep_case_list(site, sort):
    """The case list filtered (closed cases), sorted and three quarters of the way down its
    pages (the bench reaches it by the link of the page before)."""
    closed = Case.objects.filter(site=site, closed_on__isnull=False).count()
    page = max(1, int(closed / PER_PAGE * DEEP))
    return url("cases:case_list", f"status=closed&sort={sort}&page={page}", site_slug=site.slug)


def serve(totp_secret):
    site = PilotSite.objects.get(slug=f"{scale.SLUG_PREFIX}1")
    lead = lead_of(site, totp_secret)
    cases = list(
        site.cases.filter(closed_on__isnull=False)
        .order_by("-first_contact_on")
        .values_list("pk", flat=True)[:SAMPLE_CASES]
    )
    programme = Programme.objects.filter(name=PROGRAMME).first()
    workshop = (
        Workshop.objects.filter(programme=programme)
        .annotate(n=Count("registrations"))
        .order_by("-n", "number")
        .first()
    )
    vignette = Vignette.objects.filter(site=None, title=commons.VIGNETTE_TITLE).first()
    thread = Thread.objects.filter(site=None, title=commons.THREAD_TITLE).first()
    test = busiest_test(site)
    s = {"site_slug": site.slug}
    info = {
        **counts(),
        "site": site.slug,
        "users": {"lead": lead.email, "coordinator": scale.COORDINATOR_EMAIL},
        "password": scale.PASSWORD,
        "pages": {
            "trivial": url("baseline"),
            "national_dashboard": url("dashboards:national"),
            "site_dashboard": url("dashboards:site", **s),
            "case_list": url("cases:case_list", **s),
            "case_detail": [url("cases:case_detail", pk=pk, **s) for pk in cases],
            "test_page": test and url("cases:test_detail", pk=test[0], **s),
            "case_list_deep": deep_case_list(site, "school"),
            "vignette_comparison": vignette
            and url("cases:programme_vignette_compare", pk=vignette.pk),
            "workshop_attendance": workshop
            and url("workshops:workshop_attendance", pk=workshop.pk),
            "programme_progress": programme
            and url("workshops:programme_progress", pk=programme.pk),
            "thread": thread and url("exchange:thread_detail", pk=thread.pk),
            "library_search": url("exchange:library_list", f"q={LIBRARY_QUERY}"),
            "site_pdf": url("dashboards:site_pdf", **s),
        },
        "test_page_cases": test and test[1],
    }
    city = PilotSite.objects.filter(slug=f"{scale.CITY_PREFIX}1").first()
    if city:
        c = {"site_slug": city.slug}
        city_test = busiest_test(city)
        info["users"]["city_lead"] = lead_of(city, totp_secret).email
        info["city"] = {
            "site": city.slug,
            "test_page_cases": city_test and city_test[1],
            "pages": {
                # Oldest first (an index serves it), and by school (every row sorted).
                "city_case_list_deep": deep_case_list(city, "first_contact_on"),
                "city_case_list_by_school_deep": deep_case_list(city, "school"),
                "city_site_dashboard": url("dashboards:site", **c),
                "city_test_page": city_test and url("cases:test_detail", pk=city_test[0], **c),
            },
            "exports": {
                "csv": url("cases:case_export", "format=csv", **c),
                "xlsx": url("cases:case_export", "format=xlsx", **c),
            },
        }
    return info


if __name__ == "__main__":
    what = sys.argv[1]
    with scopes_disabled():  # reads every site
        print(json.dumps(counts() if what == "counts" else serve(sys.argv[2])))
