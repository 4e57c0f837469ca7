"""STORAGE_URL: one line says where files live (config/storage.py)."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.storage import storage_from_url
from tests.test_layout import ROOT

OBJECT_STORE = "infra.storage.PrivateS3Storage"


def test_without_storage_url_files_stay_on_the_file_system():
    assert storage_from_url("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_bucket_prefix_endpoint_and_region():
    url = "s3://triad-files/media?endpoint_url=http://127.0.0.1:9000&region=eu-north-1"
    assert storage_from_url(url) == {
        "BACKEND": OBJECT_STORE,
        "OPTIONS": {
            "bucket_name": "triad-files",
            "location": "media",
            "endpoint_url": "http://127.0.0.1:9000",
            "region_name": "eu-north-1",
        },
    }


def test_credentials_in_the_url_are_percent_decoded():
    url = "s3://AKIDEXAMPLE:wJal%2FrXUt%2BnFEMI@triad?endpoint_url=https%3A%2F%2Fs3.example.org"
    options = storage_from_url(url)["OPTIONS"]
    assert (options["access_key"], options["secret_key"]) == ("AKIDEXAMPLE", "wJal/rXUt+nFEMI")
    assert options["endpoint_url"] == "https://s3.example.org"


def test_without_credentials_boto3_finds_its_own():
    options = storage_from_url("s3://triad?addressing_style=path&signature_version=s3v4")["OPTIONS"]
    assert options == {
        "bucket_name": "triad",
        "addressing_style": "path",
        "signature_version": "s3v4",
    }


@pytest.mark.parametrize(
    "url,problem",
    [
        ("minio://triad", "scheme"),
        ("s3://", "no bucket"),
        ("s3://triad:9000", "port"),
        ("s3://KEY@triad", "both KEY and SECRET"),
        ("s3://triad?endpoint=http://x", "unknown parameter 'endpoint'"),
        ("s3://triad?region=a&region=b", "twice"),
        ("s3://triad?region=", "empty"),
        ("s3://triad?endpoint_url=127.0.0.1:9000", "http://"),
        ("s3://triad?addressing_style=sideways", "addressing_style"),
    ],
)
def test_a_mistyped_url_stops_the_start_saying_what_is_wrong(url, problem):
    with pytest.raises(ImproperlyConfigured, match="STORAGE_URL") as raised:
        storage_from_url(url)
    assert problem in str(raised.value)


def default_backend(settings_module: str, **env) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.STORAGES['default']['BACKEND'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STORAGE_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_storage_url_in_the_environment_sets_the_default_storage():
    url = "s3://triad?endpoint_url=http://127.0.0.1:9000&region=eu-north-1"
    result = default_backend("config.settings.local", STORAGE_URL=url)
    assert result.stdout.strip() == OBJECT_STORE, result.stderr
    assert default_backend("config.settings.local").stdout.strip() == (
        "django.core.files.storage.FileSystemStorage"
    )


def test_the_test_suite_never_writes_to_a_deployments_bucket():
    result = default_backend("config.settings.test", STORAGE_URL="s3://production-files")
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage", result.stderr


def test_a_bad_storage_url_stops_the_start():
    result = default_backend("config.settings.local", STORAGE_URL="s3://triad?bucket=x")
    assert result.returncode != 0
    assert "STORAGE_URL: unknown parameter 'bucket'" in result.stderr
