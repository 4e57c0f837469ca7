"""Runs inside Django for `bench/run.py` (python bench/prepare.py <what>) and prints one JSON
object: how much data the configured database holds, and — for `serve` — the bench people's
TOTP set up and the addresses of the pages to measure."""

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
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from cases.models import Case, CaseEvent  # noqa: E402
from demo.scale import fiction as scale  # noqa: E402
from pilots.models import PilotSite, School, User  # noqa: E402

SAMPLE_CASES = 20


def counts():
    return {
        "sites": PilotSite.objects.count(),
        "schools": School.objects.count(),
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "has_build_summaries": "build_summaries" in get_commands(),
    }


def url(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def serve(totp_secret):
    site = PilotSite.objects.get(slug=f"{scale.SLUG_PREFIX}1")
    lead = User.objects.get(email=f"lead.{site.slug}@{scale.DOMAIN}")
    # Production asks for TOTP before case pages; the bench lead has it, so that path is measured.
    if not Authenticator.objects.filter(user=lead, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(lead, totp_secret)
    cases = list(
        site.cases.filter(closed_on__isnull=False)
        .order_by("-first_contact_on")
        .values_list("pk", flat=True)[:SAMPLE_CASES]
    )
    return {
        **counts(),
        "site": site.slug,
        "users": {"lead": lead.email, "coordinator": scale.COORDINATOR_EMAIL},
        "password": scale.PASSWORD,
        "pages": {
            "trivial": url("baseline"),
            "national_dashboard": url("dashboards:national"),
            "site_dashboard": url("dashboards:site", site_slug=site.slug),
            "case_list": url("cases:case_list", site_slug=site.slug),
            "case_detail": [url("cases:case_detail", site_slug=site.slug, pk=pk) for pk in cases],
        },
    }


if __name__ == "__main__":
    what = sys.argv[1]
    with scopes_disabled():  # reads every site
        print(json.dumps(counts() if what == "counts" else serve(sys.argv[2])))
