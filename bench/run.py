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
Options: --requests, --concurrency, --load-requests, --load-concurrency, --workers."""

import argparse
import base64
import collections
import concurrent.futures
import hashlib
import hmac
import json
import os
import random
import re
import secrets
import signal
import statistics
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
LOGS = ROOT / "var" / "bench"

FULL = {"sites": 290, "schools_per_site": 21, "cases": 300_000}
TENTH = {"sites": 29, "schools_per_site": 21, "cases": 30_000}
PORTS = {"full": 8201, "tenth": 8202}
PAGES = ("trivial", "national_dashboard", "site_dashboard", "case_list", "case_detail")
# Which signed-in person opens each page: coordinators follow the programme, leads their site.
PERSON = {"national_dashboard": "coordinator"}
# Bench data only: the TOTP secret of the bench lead (base32), so the runner can sign in.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
WARM_UP = 6  # requests per gunicorn worker and page before measuring
ROUNDS = 10


def say(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def fail(message):
    say(message)
    sys.exit(2)


# --- Databases -------------------------------------------------------------------------------


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


def manage(env, *args, capture=False):
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else sys.stderr,
    )
    return result.stdout


def prepare(env, *args):
    out = subprocess.run(  # noqa: S603 - our own script with fixed arguments
        [PY, "bench/prepare.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def holds(counts, target):
    return (
        counts["sites"] == target["sites"]
        and counts["schools"] == target["sites"] * target["schools_per_site"]
        and counts["cases"] == target["cases"]
    )


def ensure_scale(urls, which, target):
    """Migrate and seed the bench database, unless it already holds exactly this scale."""
    env = env_for(urls[which])
    recreate(urls["maintenance"], urls[which], drop=False)
    manage(env, "migrate", "--noinput", "-v0")
    counts = prepare(env, "counts")
    if holds(counts, target):
        say(f"{which}: already holds {counts['cases']} cases, not seeding again")
        return None, counts
    if counts["sites"]:
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
    # Fresh statistics, as autovacuum would give a live database after a while.
    with psycopg.connect(urls[which], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return seconds, prepare(env, "counts")


def build_summaries(env):
    """Seconds to build every site's summary, or None while the command does not exist."""
    code = (
        "import time; from django.core.management import call_command; "
        "t = time.perf_counter(); call_command('build_summaries', verbosity=0); "
        "print(time.perf_counter() - t)"
    )
    out = manage(env, "shell", "-c", code, capture=True)
    return round(float(out.strip().splitlines()[-1]), 2)


# --- Serving ---------------------------------------------------------------------------------


class Server:
    """gunicorn in its own process group on loopback; stopped (the whole group) on exit."""

    def __init__(self, env, port, workers):
        LOGS.mkdir(parents=True, exist_ok=True)
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(LOGS / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                GUNICORN,
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"gunicorn stopped; see {self.log.name}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        fail(f"gunicorn did not answer on {self.base}; see {self.log.name}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def totp(secret, step_offset=0):
    """RFC 6238 with allauth's defaults (SHA-1, 6 digits, 30 s)."""
    counter = int(time.time()) // 30 + step_offset
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        fail("no CSRF token in the login form")
    return match.group(1)


def sign_in(base, email, password, check_url, *, totp_step=0):
    """Sign in through the login pages as a person would; return the session cookies."""
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as client:
        page = client.get("/accounts/login/")
        page = client.post(
            "/accounts/login/",
            data={
                "login": email,
                "password": password,
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
        )
        # A code is accepted once (allauth remembers used ones for 90 s): right after another
        # run, wait for the next 30-second window's code.
        for attempt in range(4):
            if "/2fa/authenticate" not in page.url.path:
                break
            if attempt:
                time.sleep(30 - time.time() % 30 + 1)
            page = client.post(
                page.url.path,
                data={
                    "code": totp(TOTP_SECRET, totp_step),
                    "csrfmiddlewaretoken": csrf_token(page.text),
                },
            )
        check = client.get(check_url, follow_redirects=False)
        if check.status_code != 200:
            fail(f"could not sign in as {email}: {check_url} answered {check.status_code}")
        return dict(client.cookies)


def hit(base, cookies, urls, count, concurrency):
    """Request the urls (in turn) `count` times at `concurrency`; one row per request."""
    local = threading.local()

    def one(i):
        if not hasattr(local, "client"):
            local.client = httpx.Client(
                base_url=base, cookies=cookies[i % len(cookies)], timeout=60
            )
        url = urls[i % len(urls)]
        started = time.perf_counter()
        try:
            response = local.client.get(url)
        except httpx.HTTPError as exc:
            return {"url": url, "ms": (time.perf_counter() - started) * 1000, "error": repr(exc)}
        ms = (time.perf_counter() - started) * 1000
        return {
            "url": url,
            "ms": ms,
            "status": response.status_code,
            "queries": int(response.headers.get("X-Queries", -1)),
        }

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(count)))


def failed(row):
    return "error" in row or row["status"] >= 400


def percentile(values, p):
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def summary(rows):
    times = [r["ms"] for r in rows]
    queries = collections.Counter(r.get("queries") for r in rows if "queries" in r)
    return {
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "queries": max(queries) if queries else None,
        "requests": len(rows),
        "errors": sum(failed(r) for r in rows),
    }


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


def run_mixed(base, jar, mixed, count, concurrency):
    """The pages in a shuffled mix, each with its person's session, as a load run."""
    plan = [mixed[i % len(mixed)] for i in range(count)]
    local = threading.local()

    def one(i):
        page, url = plan[i]
        clients = getattr(local, "clients", None)
        if clients is None:
            clients = local.clients = {}
        key = id(jar[page])
        if key not in clients:
            clients[key] = httpx.Client(base_url=base, cookies=jar[page], timeout=60)
        started = time.perf_counter()
        try:
            response = clients[key].get(url)
        except httpx.HTTPError as exc:
            return {"url": url, "ms": (time.perf_counter() - started) * 1000, "error": repr(exc)}
        return {
            "url": url,
            "ms": (time.perf_counter() - started) * 1000,
            "status": response.status_code,
        }

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(count)))


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
