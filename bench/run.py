"""`make bench`: how fast Triad is at national scale, measured from outside the server.

1. Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). Works in two dedicated databases named
   after DATABASE_URL's: `<name>_scale` (290 sites, 6,090 schools, 300,000 cases with their
   timelines, and beside them a big city: 50,000 cases, 200 practical tests, five years) and
   `<name>_scale10` (a tenth of the 290 sites). Each is migrated and seeded with `seed_scale`,
   step by step, unless it already holds that data (reruns are quick).
2. Builds every site's summary with `build_summaries` (timed), and the big city's alone.
3. Serves the full database with two gunicorn instances on two ports (config.settings.bench:
   production's settings over plain HTTP on loopback; each response carries an X-Queries
   header), signs in as a site's project lead (with TOTP, as production asks before case
   pages), as the big city's and as a coordinator, and measures:
   - the five pages of issue 5 a bounded number of times at a fixed concurrency;
   - every page of issue 16 one request at a time, pages taking turns (bench/serial.py), with
     its ratio to the trivial page: every page's p50 within 2x, the big city's within 3x;
   - a mixed load run over the pages, spread over both instances: no error, each page's p95
     within 3x the trivial page's;
   - the big city's CSV and XLSX exports: seconds and the worker's memory (bench/exports.py).
4. Serves the tenth with one instance: the same pages' queries, which must not grow with data.

The last line printed is one JSON object (issues 5 and 16). Exit status 1 when a request failed.

This module measures and reports; the databases are made in databases.py, the child processes
(manage.py, prepare.py, gunicorn) run in process.py, requests are made in client.py and
serial.py, exports timed in exports.py and figures summed up in report.py."""

import argparse
import collections
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

# Run as a script (`python bench/run.py`): its package sits next to the apps.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import exports, serial  # noqa: E402
from bench.client import TOTP_SECRET, by_next_link, hit, run_mixed, sign_in  # noqa: E402
from bench.databases import (  # noqa: E402
    build_site_summary,
    build_summaries,
    database_urls,
    ensure_scale,
    env_for,
    summaries_after_one_change,
)
from bench.objectstore import object_store  # noqa: E402
from bench.process import Server, manage, prepare  # noqa: E402
from bench.report import concurrent_pages as concurrent_report  # noqa: E402
from bench.report import failed, percentile, say, summary  # noqa: E402

FULL = {"sites": 290, "schools_per_site": 21, "cases": 300_000}
TENTH = {"sites": 29, "schools_per_site": 21, "cases": 30_000}
CITY = {"schools": 80, "cases": 50_000, "tests": 200, "weeks": 260}
PORTS = {"full": (8201, 8203), "tenth": (8202,)}
PAGES = ("trivial", "national_dashboard", "site_dashboard", "case_list", "case_detail")
# Which signed-in person opens each page: coordinators follow the programme, leads their site,
# and the big city's lead its pages.
PERSON = {
    "national_dashboard": "coordinator",
    "vignette_comparison": "coordinator",
    "workshop_attendance": "coordinator",
    "programme_progress": "coordinator",
}
WARM_UP = 6  # requests per gunicorn worker and page before measuring
ROUNDS = 10
SERIAL_LIMIT = 2.0  # every page's serial p50 within this many times the trivial page's
CITY_LIMIT = 3.0  # the big city's pages
LOAD_LIMIT = 3.0  # every page's p95 under the load run


def person(page):
    return "city_lead" if page.startswith("city_") else PERSON.get(page, "lead")


def as_list(urls):
    return [urls] if isinstance(urls, str) else list(urls)


def instances(env, ports, workers):
    """Gunicorn instances on the ports, sharing the database and Redis (and the object store:
    see `instance_env`)."""
    servers = [Server(instance_env(env), port, workers) for port in ports]
    for server in servers:
        server.wait_ready()
    return servers


def instance_env(env):
    """What every instance is given alike: the database, Redis and the S3-compatible object
    store (moto's server on loopback, bench/objectstore.py, started in `main`), so that no
    request depends on the instance that served the one before it."""
    return {**env, "STORAGE_URL": STORE["url"]} if STORE.get("url") else dict(env)


STORE = {}  # the shared object store's STORAGE_URL while the instances run


def follow_links(base, pages, jar):
    """Deep pages of a list are measured as reached: by the link of the page before."""
    for page, urls in pages.items():
        if page.endswith("_deep"):
            pages[page] = [by_next_link(base, jar[page], url) for url in urls]


def concurrent_pages(base, targets, people, args, *, requests, concurrency):
    """The five pages of issue 5, in interleaved rounds at a fixed concurrency."""
    for page, urls in targets.items():
        hit(base, people[page], urls, WARM_UP * args.workers, concurrency)
    # Pages take turns in rounds, so that a burst of other work on the machine falls on
    # all of them alike rather than on whichever page was being measured then.
    rows = collections.defaultdict(list)
    rounds = max(1, min(ROUNDS, requests // concurrency))
    for r in range(rounds):
        share = requests // rounds + (1 if r < requests % rounds else 0)
        for page, urls in targets.items():
            rows[page] += hit(base, people[page], urls, share, concurrency)
    results = {page: summary(rows[page]) for page in targets}
    for page, result in results.items():
        say(f"{base} {page}: {result}")
    return results


def load_run(bases, targets, cookies, args):
    """A shuffled mix of every HTML page, request i to instance i mod 2."""
    mixed = [(page, url) for page, urls in targets.items() for url in urls[:3]]
    random.Random(7).shuffle(mixed)
    started = time.perf_counter()
    rows = run_mixed(bases, cookies, mixed, args.load_requests, args.load_concurrency)
    seconds = time.perf_counter() - started
    result = {
        **summary(rows),
        "concurrency": args.load_concurrency,
        "requests_per_s": round(len(rows) / seconds, 1),
        "instances": len(bases),
    }
    result.pop("queries")
    by_page = collections.defaultdict(list)
    for row in rows:
        by_page[row["page"]].append(row)
    trivial_p95 = percentile([r["ms"] for r in by_page["trivial"]], 95)
    result["pages"] = {}
    for page, page_rows in by_page.items():
        p95 = percentile([r["ms"] for r in page_rows], 95) if len(page_rows) > 1 else None
        result["pages"][page] = {
            "p95_ms": p95 and round(p95, 1),
            "ratio_p95": p95 and round(p95 / trivial_p95, 2),
            "errors": sum(failed(r) for r in page_rows),
        }
    result["per_instance"] = dict(collections.Counter(r.get("base", "error") for r in rows))
    result["ok"] = not result["errors"] and all(
        p["ratio_p95"] is not None and p["ratio_p95"] <= LOAD_LIMIT
        for p in result["pages"].values()
    )
    say(f"load: {result}")
    return result


def measure_full(env, info, args):
    servers = instances(env, PORTS["full"], args.workers)
    try:
        base = servers[0].base
        users = info["users"]
        cookies = {
            who: sign_in(base, users[who], info["password"], info["pages"]["trivial"])
            for who in users
        }
        pages = {p: as_list(u) for p, u in info["pages"].items() if u}
        city = info.get("city") or {}
        pages.update({p: as_list(u) for p, u in city.get("pages", {}).items() if u})
        jar = {page: cookies[person(page)] for page in pages}
        follow_links(base, pages, jar)
        concurrent = concurrent_pages(
            base,
            {p: pages[p] for p in PAGES if p in pages},
            {p: [jar[p]] for p in PAGES if p in jar},
            args,
            requests=args.requests,
            concurrency=args.concurrency,
        )
        rows, first_pdf = serial.measure(
            base, pages, jar, rounds=args.serial_rounds, warm_up=3 * args.workers
        )
        html = {p: u for p, u in pages.items() if p != serial.PDF}
        load = load_run([s.base for s in servers], html, jar, args)
        exported = None
        if city.get("exports"):
            exported = exports.measure(
                servers[0], cookies["city_lead"], info["password"], city["exports"]
            )
        return concurrent, (rows, first_pdf), load, exported
    finally:
        for server in servers:
            server.stop()


def measure_tenth(env, info, args):
    """At a tenth of the data only the query counts matter: a few requests per page."""
    (server,) = instances(env, PORTS["tenth"], args.workers)
    try:
        users = {k: v for k, v in info["users"].items() if k != "city_lead"}
        cookies = {
            who: sign_in(
                server.base,
                users[who],
                info["password"],
                info["pages"]["trivial"],
                totp_step=1,  # the same lead's code of the next window: a used code is refused
            )
            for who in users
        }
        pages = {p: as_list(u) for p, u in info["pages"].items() if u}
        jar = {page: cookies[person(page)] for page in pages}
        follow_links(server.base, pages, jar)
        concurrent = concurrent_pages(
            server.base,
            {p: pages[p] for p in PAGES if p in pages},
            {p: [jar[p]] for p in PAGES if p in jar},
            args,
            requests=10,
            concurrency=2,
        )
        rows, _ = serial.measure(server.base, pages, jar, rounds=3, warm_up=1)
        queries = {
            p: max((r.get("queries", -1) for r in rs), default=None) for p, rs in rows.items()
        }
        return concurrent, queries
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--serial-rounds", type=int, default=40, help="serial requests per page")
    parser.add_argument("--load-requests", type=int, default=1000)
    parser.add_argument("--load-concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per instance")
    parser.add_argument(
        "--divide", type=int, default=1, help="shrink the data N times, to try the bench out"
    )
    args = parser.parse_args()

    urls = database_urls(args.divide)
    load_before = os.getloadavg()
    full, tenth = (
        {
            **target,
            "sites": max(1, target["sites"] // args.divide),
            "cases": target["cases"] // args.divide,
        }
        for target in (FULL, TENTH)
    )
    city = {
        **CITY,
        "schools": max(1, CITY["schools"] // args.divide),
        "cases": CITY["cases"] // args.divide,
        "tests": max(1, CITY["tests"] // args.divide),
    }
    seed_s, full_counts = ensure_scale(urls, "full", full, city)
    _, tenth_counts = ensure_scale(urls, "tenth", tenth)

    summaries_s = city_summary_s = nightly = None
    if full_counts["has_build_summaries"]:
        say("building every site's summary")
        summaries_s = build_summaries(env_for(urls["full"]))
        build_summaries(env_for(urls["tenth"]))
        say("one case changed at every site, then the nightly build")
        nightly = summaries_after_one_change(env_for(urls["full"]))

    serve = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),  # throwaway, for this run only
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    full_env = env_for(urls["full"], "config.settings.bench", **serve)
    tenth_env = env_for(urls["tenth"], "config.settings.bench", **serve)
    manage(full_env, "collectstatic", "--noinput", "-v0")

    full_info = prepare(env_for(urls["full"]), "serve", TOTP_SECRET)
    tenth_info = prepare(env_for(urls["tenth"]), "serve", TOTP_SECRET)
    if full_counts["has_build_summaries"] and full_info.get("city"):
        city_summary_s = build_site_summary(env_for(urls["full"]), full_info["city"]["site"])
    with object_store() as STORE["url"]:
        pages, (serial_rows, first_pdf), load, exported = measure_full(full_env, full_info, args)
    tenth_pages, tenth_serial = measure_tenth(tenth_env, tenth_info, args)

    concurrent = concurrent_report(pages, tenth_pages, PAGES)
    city_pages = set(full_info.get("city", {}).get("pages", {}))
    figures, _ = serial.report(serial_rows, first_pdf, SERIAL_LIMIT)
    for page, result in figures.items():
        if page in tenth_serial:
            result["queries_at_10pct"] = tenth_serial[page]
    if "test_page" in figures:
        figures["test_page"]["cases"] = full_info.get("test_page_cases")
    on_site = {p: r for p, r in figures.items() if p not in city_pages}
    in_city = {p: r for p, r in figures.items() if p in city_pages}
    report = {
        "scale": {
            "sites": full_counts["sites"],
            "schools": full_counts["schools"],
            "cases": full_counts["cases"],
            "timeline_entries": full_counts["events"],
            "seed_s": seed_s,
            "tenth": {k: tenth_counts[k] for k in ("sites", "schools", "cases")},
            "city": {**full_counts["city"], "weeks": city["weeks"]},
        },
        "summaries_s": summaries_s,
        # Issue 16: after one case changed at each site, the nightly build (`--changed-only`).
        "summaries_changed": nightly,
        "pages": concurrent,
        "queries_flat": all(
            p["queries"] == p["queries_at_10pct"] for p in concurrent.values() if p
        ),
        "load": load,
        "serial": on_site,
        "serial_ok": all(
            r["ratio_p50"] <= SERIAL_LIMIT and not r["errors"] for r in on_site.values()
        ),
        "serial_over": [p for p, r in on_site.items() if r["ratio_p50"] > SERIAL_LIMIT],
        "city": {
            "site": full_info.get("city", {}).get("site"),
            "test_page_cases": full_info.get("city", {}).get("test_page_cases"),
            "pages": in_city,
            "ok": bool(in_city)
            and all(r["ratio_p50"] <= CITY_LIMIT and not r["errors"] for r in in_city.values()),
            "summary_s": city_summary_s,
            "exports": exported,
        },
        "method": {
            "requests_per_page": args.requests,
            "concurrency": args.concurrency,
            "serial_requests_per_page": args.serial_rounds,
            "gunicorn_workers": args.workers,
            "instances": len(PORTS["full"]),
            "cpus": os.cpu_count(),
            # Other work on the machine inflates every timing; the ratios suffer least.
            "load_average": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
        },
    }
    print(json.dumps(report, ensure_ascii=False), flush=True)
    errors = (
        load["errors"]
        + sum(p["errors"] for p in concurrent.values() if p)
        + sum(r["errors"] for r in figures.values())
        + sum(e["status"] != 200 for k, e in (exported or {}).items() if k != "ok")
    )
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
