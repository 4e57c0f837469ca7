import json

import pytest

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_database_cache_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok", "migrations": "ok"},
    }


def test_healthz_needs_no_login_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_the_broker_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["checks"]["broker"].startswith("error")
    assert body["checks"]["database"] == "ok"


def test_healthz_is_503_when_the_cache_does_not_answer(client, settings):
    # Changing CACHES through the settings fixture makes Django rebuild its cache handlers.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["cache"].startswith("error")


def test_healthz_is_503_while_a_migration_waits_for_the_release_step(client, monkeypatch):
    from django.db.migrations.recorder import MigrationRecorder

    monkeypatch.setattr(health, "_migrated", False)  # as in a process started before release
    last = MigrationRecorder.Migration.objects.filter(app="exchange").latest("id")
    last.delete()  # rolled back with the test
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["migrations"] == "error: MigrationsPending"
    assert body["checks"]["database"] == "ok"

    last.save()
    assert client.get("/healthz").status_code == 200


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405


def _folder_broker(settings, folder):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
    }


def test_healthz_understands_the_folder_broker_of_make_run(client, settings, tmp_path):
    _folder_broker(settings, tmp_path)
    (tmp_path / "fresh.msg").write_text("{}")
    assert client.get("/healthz").status_code == 200


def test_healthz_is_503_when_the_folder_broker_is_missing_or_nobody_takes_its_tasks(
    client, settings, tmp_path
):
    import os
    import time

    _folder_broker(settings, tmp_path / "missing")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["broker"].startswith("error")

    _folder_broker(settings, tmp_path)
    stale = tmp_path / "stale.msg"
    stale.write_text("{}")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["broker"].startswith("error")
