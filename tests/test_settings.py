"""Production settings refuse to start half-configured, and pass Django's deploy checks."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pilots.models import PilotSite

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "sqlite:////tmp/triad-deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_ALLOWED_HOSTS": "triad.example.org",
}


def manage(*args, env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def local_settings(expression, **env):
    """What `expression` (over the settings as `s`) prints under config.settings.local, in a
    fresh process with none of the services' variables but those given."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "CELERY_", "SITE_"))
    }
    code = (
        "import django, pathlib; django.setup(); from django.conf import settings as s;"
        f" print({expression})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_passes_the_deploy_checks_given_its_secrets():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_a_short_or_development_secret_key():
    result = manage("check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "local-development-only"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_database_or_redis():
    for missing in ("DATABASE_URL", "REDIS_URL"):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
        result = manage("check", env=env)
        assert result.returncode != 0, missing
        assert missing in result.stderr


def test_production_settings_do_not_install_the_demo_generators():
    result = manage("seed_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr
    code = "from django.apps import apps; print(apps.is_installed('demo'))"
    shown = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert shown.stdout.strip().splitlines()[-1] == "False", shown.stderr


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_production_settings(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not PilotSite.objects.exists()


def test_production_code_never_imports_the_demo_app():
    importers = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/**/*.py")
        # bench/ is a harness, not shipped: it seeds with the demo app's generator and reads its
        # published password and addresses (demo.scale.fiction).
        if path.parts[len(ROOT.parts)] not in {"demo", "bench", "tests", ".venv", "var"}
        and re.search(r"^\s*(from|import) demo\b", path.read_text(), re.M)
    ]
    assert importers == []


def test_local_settings_fall_back_to_sqlite_locmem_a_folder_broker_and_mail_files():
    """`make run` on a fresh machine: no services; tasks wait in a folder for the worker `make
    run` starts, e-mail is written to var/mail/, links point at the port served."""
    assert local_settings(
        "s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
        " s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE, s.EMAIL_BACKEND,"
        " s.CELERY_BROKER_URL, s.SITE_URL, s.EMAIL_FILE_PATH.relative_to(s.BASE_DIR)",
        PORT="8312",
    ) == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "False",
        "sv",
        "django.core.mail.backends.filebased.EmailBackend",
        "filesystem://",
        "http://127.0.0.1:8312",
        "var/mail",
    ]


def test_the_folder_broker_keeps_every_folder_under_var():
    """kombu's filesystem transport writes its exchange table to `control/` in whatever folder
    the worker starts from unless told otherwise; every folder it uses lies under var/celery/."""
    assert local_settings(
        "*sorted(f'{k}={pathlib.Path(v).relative_to(s.BASE_DIR)}'"
        " for k, v in s.CELERY_BROKER_TRANSPORT_OPTIONS.items() if 'folder' in k)"
    ) == [
        "control_folder=var/celery/control",
        "data_folder_in=var/celery/queue",
        "data_folder_out=var/celery/queue",
        "processed_folder=var/celery/processed",
    ]


def test_email_goes_where_email_url_says():
    assert local_settings(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT", EMAIL_URL="smtp://mail.example.org:25"
    ) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        "25",
    ]
