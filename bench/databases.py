"""The bench's two PostgreSQL databases next to DATABASE_URL's: created, migrated and seeded
with `seed_scale` unless they already hold exactly the asked-for scale, and their summaries
built (timed)."""

import json
import os
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench.process import manage, prepare
from bench.report import fail, say


def database_urls(divisor):
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        fail(
            "make bench needs PostgreSQL: set DATABASE_URL, e.g. "
            "postgres://postgres@127.0.0.1:5432/triad (the bench uses its own databases "
            "<name>_scale and <name>_scale10 next to it)."
        )
    if not os.environ.get("REDIS_URL"):
        fail("make bench serves with production settings, which need REDIS_URL.")
    name = (parts.path.lstrip("/") or "triad") + ("" if divisor == 1 else f"_d{divisor}")
    return {
        "maintenance": urlunsplit(parts._replace(path="/postgres")),
        "full": urlunsplit(parts._replace(path=f"/{name}_scale")),
        "tenth": urlunsplit(parts._replace(path=f"/{name}_scale10")),
    }


def recreate(maintenance_url, url, *, drop):
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def env_for(database_url, settings="config.settings.local", **extra):
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=settings)
    env.setdefault("DJANGO_DEBUG", "false")
    env.update(extra)
    env["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory: not while seeding 300k
    return env


def holds(counts, target):
    return (
        counts["sites"] == target["sites"]
        and counts["schools"] == target["sites"] * target["schools_per_site"]
        and counts["cases"] == target["cases"]
    )


def holds_city(counts, city):
    return (
        counts["city"]["sites"] == 1
        and counts["city"]["schools"] == city["schools"]
        and counts["city"]["cases"] == city["cases"]
        and counts["city"]["tests"] == city["tests"]
    )


def ensure_scale(urls, which, target, city=None):
    """Migrate and seed the bench database, unless it already holds exactly this scale: the
    scale sites, then (when asked for) the big city, then what the sites share. Each step is
    skipped when its data is there, so a database seeded before a step existed only gets it."""
    env = env_for(urls[which])
    recreate(urls["maintenance"], urls[which], drop=False)
    manage(env, "migrate", "--noinput", "-v0")
    counts = prepare(env, "counts")
    wrong_city = city and counts["city"]["sites"] and not holds_city(counts, city)
    if holds(counts, target) and not wrong_city:
        say(f"{which}: already holds {counts['cases']} cases, not seeding them again")
        seconds = None
    else:
        if counts["sites"] or counts["city"]["sites"]:
            say(f"{which}: holds other data ({counts}); starting it afresh")
            recreate(urls["maintenance"], urls[which], drop=True)
            manage(env, "migrate", "--noinput", "-v0")
        say(f"{which}: seeding {target}")
        started = time.perf_counter()
        manage(
            env,
            "seed_scale",
            f"--sites={target['sites']}",
            f"--schools-per-site={target['schools_per_site']}",
            f"--cases={target['cases']}",
        )
        seconds = round(time.perf_counter() - started, 1)
        counts = prepare(env, "counts")
    changed = seconds is not None
    if city and not counts["city"]["sites"]:
        say(f"{which}: seeding the big city {city}")
        started = time.perf_counter()
        manage(
            env,
            "seed_scale",
            "--city",
            "--sites=1",
            f"--schools-per-site={city['schools']}",
            f"--cases={city['cases']}",
            f"--tests-per-site={city['tests']}",
            f"--weeks={city['weeks']}",
        )
        city["seed_s"] = round(time.perf_counter() - started, 1)
        changed = True
    if not counts["commons"]["thread_posts"] or changed:
        manage(env, "seed_scale", "--commons")  # adds only what is missing
    if changed or not counts["commons"]["thread_posts"]:
        # Fresh statistics, as autovacuum would give a live database after a while.
        with psycopg.connect(urls[which], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        counts = prepare(env, "counts")
    return seconds, counts


def build_site_summary(env, slug):
    """Seconds to build one site's summary (the big city's), in one process."""
    return _summaries_line(env, "--site", slug)["seconds"]


def build_summaries(env):
    """Seconds to build every site's summary from nothing (`build_summaries --all`)."""
    return _summaries_line(env, "--all")["seconds"]


def summaries_after_one_change(env):
    """Issue 16: one case changed at every site, then the nightly build (`--changed-only`):
    its JSON line (sites built and skipped, seconds, queries)."""
    code = (
        "from django.db import connection; "
        "connection.cursor().execute("
        "'UPDATE cases_case SET updated_at = updated_at WHERE id IN "
        "(SELECT MIN(id) FROM cases_case GROUP BY site_id)')"
    )
    manage(env, "shell", "-c", code)
    return _summaries_line(env, "--changed-only")


def _summaries_line(env, *which):
    """`build_summaries … --json`: its one JSON line (built, skipped, seconds, queries)."""
    out = manage(env, "build_summaries", *which, "--json", capture=True)
    return json.loads(out.strip().splitlines()[-1])
