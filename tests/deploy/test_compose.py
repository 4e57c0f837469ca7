"""docker-compose.yml, read as Compose reads it (there is no Docker engine here): valid per the
Compose spec's schema (compose-spec.json beside this file, from compose-spec/compose-go v2.13.0,
Apache-2.0), migrations as a release step the others wait for, several web replicas and workers,
exactly one beat, the shared object store for every instance, and no secret written in it."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).with_name("compose-spec.json")).read_text())
APP_IMAGE = "triad:latest"
# What only interpolation from .env may bring: ${NAME} or ${NAME:?message}.
INTERPOLATED = re.compile(r"^\$\{[A-Z_][A-Z0-9_]*(:?[?-][^}]*)?\}$")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY\b|ACCESS_KEY")
USERINFO = re.compile(r"://([^/@]*)@")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def command(service) -> str:
    value = service.get("command", "")
    return " ".join(value) if isinstance(value, list) else value


def environment(service) -> dict:
    value = service.get("environment") or {}
    if isinstance(value, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in value)
    return value


def app_services(services) -> dict:
    """Those that run Triad's own image: release, web, worker, beat."""
    return {name: s for name, s in services.items() if s.get("image") == APP_IMAGE}


def test_compose_file_is_valid_per_the_compose_spec(compose):
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.validators.validator_for(SCHEMA)(SCHEMA).iter_errors(compose)
    ]
    assert errors == []


@pytest.mark.parametrize(
    "mistake",
    [
        lambda web: web["deploy"].update(replica=2),  # a typo for replicas
        lambda web: web["depends_on"]["release"].update(condition="service_finished"),
        lambda web: web.update(port=["8000:8000"]),
    ],
)
def test_the_schema_check_finds_a_mistake(compose, mistake):
    broken = json.loads(json.dumps(compose))
    mistake(broken["services"]["web"])
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    assert list(validator.iter_errors(broken))


def test_the_stack_has_its_services(services):
    assert set(services) == {"release", "web", "worker", "beat", "postgres", "redis"}
    assert set(app_services(services)) == {"release", "web", "worker", "beat"}
    assert "gunicorn" in command(services["web"])
    assert "worker" in command(services["worker"])
    assert services["web"]["env_file"] == ".env"
    assert "DJANGO_SECRET_KEY=" in (ROOT / ".env.example").read_text()


def test_migrations_run_once_as_a_release_step_that_the_others_wait_for(services):
    release = services["release"]
    assert command(release).split()[-3:] == ["manage.py", "migrate", "--noinput"]
    assert release["restart"] == "no"
    assert "release" not in release.get("depends_on", {})
    for name in ("web", "worker", "beat"):
        waits = services[name]["depends_on"]["release"]
        assert waits == {"condition": "service_completed_successfully"}, name
        assert "migrate" not in command(services[name]), f"{name} migrates on start"
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = next(line for line in dockerfile.splitlines() if line.startswith(("CMD", "ENTRYPOINT")))
    assert "migrate" not in cmd


def test_several_web_replicas_and_workers_and_exactly_one_beat(services):
    assert services["web"]["deploy"]["replicas"] > 1
    assert services["worker"]["deploy"]["replicas"] > 1
    beats = [name for name, s in services.items() if re.search(r"celery .*\bbeat\b", command(s))]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    # Each web replica needs a host port of its own: a range at least as wide as the replicas.
    (published,) = services["web"]["ports"]
    first, last = map(int, published.split(":")[0].split("-"))
    assert last - first + 1 >= services["web"]["deploy"]["replicas"]


def test_every_instance_shares_the_object_store_and_no_local_media(compose, services):
    for name, service in app_services(services).items():
        env = environment(service)
        assert INTERPOLATED.match(env.get("STORAGE_URL") or ""), name
        # A volume on one machine cannot be shared by replicas on another.
        assert not any("media" in str(v) for v in service.get("volumes", [])), name
    assert "media" not in (compose.get("volumes") or {})
    assert "STORAGE_URL=" in (ROOT / ".env.example").read_text()


def test_no_secret_is_written_in_the_compose_file(services):
    leaks = []
    for name, service in services.items():
        for key, value in environment(service).items():
            value = "" if value is None else str(value)
            if SECRET_NAME.search(key) and value and not INTERPOLATED.match(value):
                leaks.append(f"{name}.{key}")
            for userinfo in USERINFO.findall(value):
                password = userinfo.partition(":")[2]
                if password and not INTERPOLATED.match(password):
                    leaks.append(f"{name}.{key} has a password in its URL")
    assert leaks == []


@pytest.mark.parametrize(
    "key,value",
    [
        ("DJANGO_SECRET_KEY", "x" * 60),
        ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"),
        ("DATABASE_URL", "postgres://triad:hunter2@postgres:5432/triad"),
        ("STORAGE_URL", "s3://AKID:wJalrXUt@triad?region=eu-north-1"),
    ],
)
def test_the_secret_check_finds_a_written_secret(services, key, value):
    web = json.loads(json.dumps(services["web"]))
    web["environment"][key] = value
    with pytest.raises(AssertionError):
        test_no_secret_is_written_in_the_compose_file({"web": web})
