"""`make bench`: how fast Triad is at national scale, measured from outside the server.

1. Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). Works in two dedicated databases named
   after DATABASE_URL's: `<name>_scale` (290 sites, 6,090 schools, 300,000 cases with their
   timelines) and `<name>_scale10` (a tenth of that). Each is migrated and seeded with
   `seed_scale`, unless it already holds exactly that data (reruns are quick).
2. Builds every site's summary with `build_summaries` (timed) when the command exists.
3. Serves each database with gunicorn under config.settings.bench (production's settings over
   plain HTTP on loopback; each response carries an X-Queries header), signs in as the first
   site's project lead (with TOTP, as production asks before case pages) and as a coordinator,
   and requests each page a bounded number of times at a fixed concurrency.
4. A mixed load run over all pages (issue 7): total requests, errors (must be none) and p95.

The last line printed is one JSON object (see issue 5). Exit status 1 when a request failed.
Options: --requests, --concurrency, --load-requests, --load-concurrency, --workers.

This module measures and reports; the databases are made in databases.py, the child processes
(manage.py, prepare.py, gunicorn) run in process.py, requests are made in client.py and summed
up in report.py."""

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

from bench.client import TOTP_SECRET, hit, run_mixed, sign_in  # noqa: E402
from bench.databases import build_summaries, database_urls, ensure_scale, env_for  # noqa: E402
from bench.process import Server, manage, prepare  # noqa: E402
from bench.report import say, summary  # noqa: E402

FULL = {"sites": 290, "schools_per_site": 21, "cases": 300_000}
TENTH = {"sites": 29, "schools_per_site": 21, "cases": 30_000}
PORTS = {"full": 8201, "tenth": 8202}
PAGES = ("trivial", "national_dashboard", "site_dashboard", "case_list", "case_detail")
# Which signed-in person opens each page: coordinators follow the programme, leads their site.
PERSON = {"national_dashboard": "coordinator"}
WARM_UP = 6  # requests per gunicorn worker and page before measuring
ROUNDS = 10


def serve_and_measure(env, port, info, args, *, totp_step, requests, concurrency, load):
    server = Server(env, port, args.workers)
    try:
        server.wait_ready()
        pages = info["pages"]
        cookies = {
            person: sign_in(
                server.base,
                info["users"][person],
                info["password"],
                pages["trivial"],
                totp_step=totp_step,
            )
            for person in ("lead", "coordinator")
        }
        targets = {
            page: ([pages[page]] if isinstance(pages[page], str) else pages[page])
            for page in PAGES
            if pages.get(page)
        }
        people = {page: [cookies[PERSON.get(page, "lead")]] for page in targets}
        for page, urls in targets.items():
            hit(server.base, people[page], urls, WARM_UP * args.workers, concurrency)
        # Pages take turns in rounds, so that a burst of other work on the machine falls on
        # all of them alike rather than on whichever page was being measured then.
        rows = collections.defaultdict(list)
        rounds = max(1, min(ROUNDS, requests // concurrency))
        for r in range(rounds):
            share = requests // rounds + (1 if r < requests % rounds else 0)
            for page, urls in targets.items():
                rows[page] += hit(server.base, people[page], urls, share, concurrency)
        results = {page: summary(rows[page]) for page in targets}
        for page, result in results.items():
            say(f"{port} {page}: {result}")
        load_result = None
        if load:
            mixed = [(page, url) for page, urls in targets.items() for url in urls[:3]]
            random.Random(7).shuffle(mixed)
            jar = {page: cookies[PERSON.get(page, "lead")] for page in targets}
            started = time.perf_counter()
            rows = run_mixed(server.base, jar, mixed, args.load_requests, args.load_concurrency)
            seconds = time.perf_counter() - started
            load_result = {
                **summary(rows),
                "concurrency": args.load_concurrency,
                "requests_per_s": round(len(rows) / seconds, 1),
            }
            load_result.pop("queries")
            say(f"{port} load: {load_result}")
        return results, load_result
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--load-requests", type=int, default=1000)
    parser.add_argument("--load-concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--divide", type=int, default=1, help="shrink the data N times, to try the bench out"
    )
    args = parser.parse_args()

    urls = database_urls(args.divide)
    load_before = os.getloadavg()[0]
    full, tenth = (
        {
            **target,
            "sites": max(1, target["sites"] // args.divide),
            "cases": target["cases"] // args.divide,
        }
        for target in (FULL, TENTH)
    )
    seed_s, full_counts = ensure_scale(urls, "full", full)
    _, tenth_counts = ensure_scale(urls, "tenth", tenth)

    summaries_s = None
    if full_counts["has_build_summaries"]:
        say("building every site's summary")
        summaries_s = build_summaries(env_for(urls["full"]))
        build_summaries(env_for(urls["tenth"]))

    serve = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),  # throwaway, for this run only
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    full_env = env_for(urls["full"], "config.settings.bench", **serve)
    tenth_env = env_for(urls["tenth"], "config.settings.bench", **serve)
    manage(full_env, "collectstatic", "--noinput", "-v0")

    full_info = prepare(env_for(urls["full"]), "serve", TOTP_SECRET)
    tenth_info = prepare(env_for(urls["tenth"]), "serve", TOTP_SECRET)
    pages, load = serve_and_measure(
        full_env,
        PORTS["full"],
        full_info,
        args,
        totp_step=0,
        requests=args.requests,
        concurrency=args.concurrency,
        load=True,
    )
    # At a tenth of the data only the query counts matter: a few requests per page.
    tenth_pages, _ = serve_and_measure(
        tenth_env,
        PORTS["tenth"],
        tenth_info,
        args,
        totp_step=1,  # the same lead's code of the next window: a used code is refused
        requests=10,
        concurrency=2,
        load=False,
    )

    trivial_p95 = pages["trivial"]["p95_ms"]
    report_pages = {}
    for page in PAGES:
        if page not in pages:
            report_pages[page] = None
            continue
        result = pages[page]
        report_pages[page] = {
            "p50_ms": result["p50_ms"],
            "p95_ms": result["p95_ms"],
            "queries": result["queries"],
            "ratio_p95": round(result["p95_ms"] / trivial_p95, 2),
            "queries_at_10pct": tenth_pages.get(page, {}).get("queries"),
            "errors": result["errors"],
        }
    measured = [p for p in report_pages.values() if p]
    report = {
        "scale": {
            "sites": full_counts["sites"],
            "schools": full_counts["schools"],
            "cases": full_counts["cases"],
            "timeline_entries": full_counts["events"],
            "seed_s": seed_s,
            "tenth": {k: tenth_counts[k] for k in ("sites", "schools", "cases")},
        },
        "summaries_s": summaries_s,
        "pages": report_pages,
        "queries_flat": all(p["queries"] == p["queries_at_10pct"] for p in measured),
        "load": load,
        "method": {
            "requests_per_page": args.requests,
            "concurrency": args.concurrency,
            "gunicorn_workers": args.workers,
            "cpus": os.cpu_count(),
            # Other work on the machine inflates every timing; the ratios suffer least.
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        },
    }
    print(json.dumps(report, ensure_ascii=False), flush=True)
    errors = load["errors"] + sum(p["errors"] for p in measured)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
