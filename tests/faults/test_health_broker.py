"""/healthz tells the truth about the broker: 503 with the broker marked down when nothing
listens on its port, and also when something takes the connection and never answers (a hung
Redis) — the check must not hang the request with it."""

import json
import socket
import threading

import pytest
from django.db import connections

pytestmark = pytest.mark.django_db


def healthz_in_a_thread(client, wait=60):
    """GET /healthz, giving up after `wait` seconds so a hanging check fails the test instead
    of hanging the suite."""
    result = {}

    def get():
        try:
            result["response"] = client.get("/healthz")
        finally:
            connections.close_all()

    thread = threading.Thread(target=get, daemon=True)
    thread.start()
    thread.join(wait)
    assert not thread.is_alive(), "/healthz hung on a broker that does not answer"
    return result["response"]


def test_healthz_is_503_with_the_broker_down_when_nothing_listens(client, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # free now; nothing listens once closed
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    response = healthz_in_a_thread(client)
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["checks"]["broker"].startswith("error")
    assert body["checks"]["database"] == "ok"


def test_healthz_is_503_when_the_broker_takes_the_connection_and_says_nothing(client, settings):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nobody ever reads or writes
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        response = healthz_in_a_thread(client)
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["broker"].startswith("error")


def test_healthz_is_503_when_the_cache_redis_takes_the_connection_and_says_nothing(
    client, settings
):
    # In production the cache and the broker are the same Redis: if it hangs, the cache check
    # comes first and must not hang either. Uses the cache options of the settings.
    from config.settings import base

    if not base.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the cache is in local memory")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.CACHES = {
            "default": {
                **base.CACHES["default"],
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
            }
        }
        response = healthz_in_a_thread(client)
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["cache"].startswith("error")
