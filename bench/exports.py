"""The big city's case exports (CSV and XLSX, every case of the site) downloaded to the last
byte, timed, with the memory of the gunicorn workers read from /proc before and after: each
worker's peak is started afresh from its resident memory just before (clear_refs), so its
peak after says how far the worker that sent the file grew while doing so.

Targets (issue 16): under 30 s, and the worker's memory grows by less than 100 MB."""

from bench.client import confirm_password, download
from bench.process import memory, reset_peak
from bench.report import say

SECONDS = 30
GROWTH_MB = 100


def measure(server, cookies, password, urls):
    """urls: {"csv": …, "xlsx": …}; returns the figures per format and whether they meet the
    targets."""
    # A download asks for the password again (allauth's reauthentication), as a person would.
    cookies = confirm_password(server.base, cookies, password)
    results = {}
    for kind, url in urls.items():
        workers = server.workers()
        before = {}
        peaks_reset = True
        for pid in workers:
            peaks_reset &= reset_peak(pid)
            before[pid] = memory(pid)
        got = download(server.base, cookies, url)
        after = {pid: memory(pid) for pid in workers}
        growth = {pid: after[pid]["peak_mb"] - before[pid]["rss_mb"] for pid in workers}
        worker = max(growth, key=growth.get)
        results[kind] = {
            "s": got["s"],
            "mb": round(got["bytes"] / 1e6, 1),
            "status": got["status"],
            "content_type": got["content_type"],
            "worker_rss_before_mb": round(before[worker]["rss_mb"], 1),
            "worker_rss_after_mb": round(after[worker]["rss_mb"], 1),
            # Peak while sending (VmHWM) over resident memory before; where the peak could
            # not be reset, the resident memory after instead.
            "rss_growth_mb": round(
                growth[worker]
                if peaks_reset
                else after[worker]["rss_mb"] - before[worker]["rss_mb"],
                1,
            ),
            "peak_measured": peaks_reset,
        }
        if kind == "csv":
            results[kind]["rows"] = max(got["lines"] - 1, 0)
        say(f"export {kind}: {results[kind]}")
    ok = all(
        r["status"] == 200 and r["s"] < SECONDS and r["rss_growth_mb"] < GROWTH_MB
        for r in results.values()
    )
    return {**results, "ok": ok}
