"""What the bench says: progress on stderr, a stop with a message, and a page's timings summed
up (median, 95th percentile, most queries, errors)."""

import collections
import statistics
import sys


def say(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def fail(message):
    say(message)
    sys.exit(2)


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


def concurrent_pages(pages, tenth_pages, names):
    """The five pages of issue 5 at a fixed concurrency, as the JSON line has had them."""
    trivial_p95 = pages["trivial"]["p95_ms"]
    report = {}
    for page in names:
        if page not in pages:
            report[page] = None
            continue
        result = pages[page]
        report[page] = {
            "p50_ms": result["p50_ms"],
            "p95_ms": result["p95_ms"],
            "queries": result["queries"],
            "ratio_p95": round(result["p95_ms"] / trivial_p95, 2),
            "queries_at_10pct": tenth_pages.get(page, {}).get("queries"),
            "errors": result["errors"],
        }
    return report
