"""Headers under production settings, on real responses: a Content-Security-Policy without
inline script, HSTS, framing denied, no sniffing, a Referrer-Policy and a Permissions-Policy;
case pages and exports are never stored. And no template brings inline script or style back."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from cases.models import Case
from tests.cases.factories import CaseFactory
from tests.pilots.factories import PASSWORD
from tests.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]

# Requests a production process answers, made with Django's test client inside a process
# started with the production settings module. Only the static files' manifest is swapped
# for the plain storage (the manifest needs `collectstatic`; headers do not depend on it).
PROBE = """
import json, django
django.setup()
from django.test.utils import setup_test_environment, override_settings
setup_test_environment()
from django.test import Client
out = {}
storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    client = Client(HTTP_HOST="triad.example.org")
    for path in ("/accounts/login/", "/no-such-page/", "/intresseanmalan/"):
        r = client.get(path, secure=True)
        out[path] = {"status": r.status_code, "headers": dict(r.headers)}
    r = client.get("/accounts/login/")
    out["http"] = {"status": r.status_code, "location": r.get("Location", "")}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    database = tmp_path_factory.mktemp("prod") / "db.sqlite3"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    env.update(PRODUCTION_ENV, DATABASE_URL=f"sqlite:///{database}")
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def directives(csp):
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in csp.split(";")) if part
    }


@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/", "/intresseanmalan/"])
def test_production_responses_carry_the_security_headers(production_responses, path):
    response = production_responses[path]
    assert response["status"] in (200, 404), response
    headers = response["headers"]
    csp = directives(headers["Content-Security-Policy"])
    assert csp["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    hsts = headers["Strict-Transport-Security"]
    assert re.match(r"max-age=(\d+)", hsts) and int(re.match(r"max-age=(\d+)", hsts)[1]) >= 31536000
    assert "includeSubDomains" in hsts
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    policy = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in policy
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_sends_plain_http_to_https(production_responses):
    answer = production_responses["http"]
    assert answer["status"] == 301
    assert answer["location"].startswith("https://triad.example.org/")


# --- In the test process: the same middleware, on pages that need people and cases --------------


def sign_in_confirmed(client, user):
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


@pytest.mark.parametrize("name", ["case_list", "case_detail", "case_export", "case_timeline"])
def test_case_pages_and_exports_are_never_stored(name, client, lead_a, site_a):
    case = CaseFactory(site=site_a)
    kwargs = {"site_slug": site_a.slug}
    if name in ("case_detail", "case_timeline"):
        kwargs["pk"] = case.pk
    response = sign_in_confirmed(client, lead_a).get(reverse(f"cases:{name}", kwargs=kwargs))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_practical_tests_page_with_its_cases_is_never_stored(client_for, member_a, site_a):
    case = CaseFactory(site=site_a)
    test = case.practical_test or Case.objects.get(pk=case.pk).practical_test
    if test is None:
        from tests.cases.factories import PracticalTestFactory

        test = PracticalTestFactory(site=site_a)
        Case.objects.filter(pk=case.pk).update(practical_test=test)
    response = client_for(member_a).get(
        reverse("cases:test_detail", kwargs={"site_slug": site_a.slug, "pk": test.pk})
    )
    assert case.code in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_nonce_appears_only_when_a_page_uses_one(client_for, member_a):
    """django-csp adds the nonce to the header only if the page used it: ours use none, so
    script-src is plain 'self'. An inline script would need nonce="{{ request.csp_nonce }}"."""
    csp = client_for(member_a).get(reverse("pilots:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "nonce-" not in csp


def test_htmx_is_told_not_to_inject_an_inline_style(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


# --- The templates keep to it --------------------------------------------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
# A JSON data block (type="application/json", as json_script and allauth's passkey pages write)
# is never run by a browser, so the policy has nothing to refuse there.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*\btype=\"application/json\")[^>]*>",
    re.IGNORECASE,
)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def templates():
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            # E-mails are read in mail programs and PDFs are drawn by WeasyPrint: neither is
            # served to a browser under our CSP, and both need inline style.
            if "email" not in path.relative_to(directory).parts[0] and not path.stem.endswith(
                "_pdf"
            ):
                yield path


def test_no_template_has_inline_script_handlers_or_style_attributes():
    found = []
    for path in templates():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, STYLE_ATTRIBUTE):
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not found, found
    assert len(list(templates())) > 50
