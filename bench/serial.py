"""Pages at the server's own pace: one request at a time from a single client, pages taking
turns (round-robin) so that a burst of other work on the machine falls on all of them alike.
Queueing behind other requests slows the trivial page too and narrows every ratio; here each
page's time is its own, and its ratio to the trivial page says what a person feels.

The steering group's PDF is drawn on its first request and may be served from storage after:
its first request is timed apart, before any other asks for it."""

import time

import httpx

from bench.report import failed, percentile, say

PDF = "site_pdf"


def _get(client, url):
    started = time.perf_counter()
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        return {"url": url, "ms": (time.perf_counter() - started) * 1000, "error": repr(exc)}
    return {
        "url": url,
        "ms": (time.perf_counter() - started) * 1000,
        "status": response.status_code,
        "queries": int(response.headers.get("X-Queries", -1)),
        "bytes": len(response.content),
    }


def measure(base, targets, cookies, *, rounds, warm_up):
    """targets: {page: [urls]}; cookies: {page: the cookies of the person who opens it}.
    Returns {page: rows} and the PDF's first request (or None)."""
    clients = {}

    def client_for(page):
        key = id(cookies[page])
        if key not in clients:
            clients[key] = httpx.Client(base_url=base, cookies=cookies[page], timeout=120)
        return clients[key]

    try:
        first_pdf = None
        # Every worker process warms up on every page but the PDF, whose first drawing is
        # timed on its own, then warms up too.
        for _ in range(warm_up):
            for page, urls in targets.items():
                if page != PDF:
                    for url in urls[:3]:
                        _get(client_for(page), url)
        if PDF in targets:
            first_pdf = _get(client_for(PDF), targets[PDF][0])
            for _ in range(warm_up):
                _get(client_for(PDF), targets[PDF][0])
        rows = {page: [] for page in targets}
        for r in range(rounds):
            for page, urls in targets.items():
                rows[page].append(_get(client_for(page), urls[r % len(urls)]))
        return rows, first_pdf
    finally:
        for client in clients.values():
            client.close()


def sum_up(rows, trivial):
    """A page's serial figures, with its ratios to the trivial page's (`trivial`: its
    figures)."""
    times = [r["ms"] for r in rows]
    queries = [r["queries"] for r in rows if "queries" in r]
    p50, p95 = percentile(times, 50), percentile(times, 95)
    result = {
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "ratio_p50": round(p50 / trivial["p50_ms"], 2) if trivial else 1.0,
        "ratio_p95": round(p95 / trivial["p95_ms"], 2) if trivial else 1.0,
        "queries": max(queries) if queries else None,
        "requests": len(rows),
        "errors": sum(failed(r) for r in rows),
    }
    if queries and min(queries) != max(queries):
        result["queries_min"] = min(queries)
    return result


def report(rows, first_pdf, limit):
    """Every page's figures, the trivial page first; `limit`: the p50 ratio each must meet."""
    trivial = sum_up(rows["trivial"], None)
    pages = {"trivial": trivial}
    for page, page_rows in rows.items():
        if page != "trivial":
            pages[page] = sum_up(page_rows, trivial)
    if first_pdf is not None and PDF in pages:
        pages[PDF]["first_ms"] = round(first_pdf["ms"], 1)
        pages[PDF]["first_ratio"] = round(first_pdf["ms"] / trivial["p50_ms"], 2)
        pages[PDF]["errors"] += failed(first_pdf)
    for page, result in pages.items():
        say(f"serial {page}: {result}")
    over = sorted(p for p, r in pages.items() if r["ratio_p50"] > limit or r["errors"])
    return pages, over
