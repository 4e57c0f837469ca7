"""Requests from outside, as a browser would make them: signing in through the login pages (with
the bench lead's TOTP) and requesting pages at a fixed concurrency, one row per request."""

import base64
import concurrent.futures
import hashlib
import hmac
import re
import struct
import threading
import time

import httpx

from bench.report import fail

# Bench data only: the TOTP secret of the bench lead (base32), so the runner can sign in.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


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


def confirm_password(base, cookies, password):
    """Type the password again (allauth's reauthentication), as a download asks; returns the
    session's cookies after it."""
    with httpx.Client(base_url=base, cookies=cookies, follow_redirects=True, timeout=30) as client:
        page = client.get("/accounts/reauthenticate/")
        page = client.post(
            "/accounts/reauthenticate/",
            data={"password": password, "csrfmiddlewaretoken": csrf_token(page.text)},
        )
        if page.status_code != 200 or "/reauthenticate" in page.url.path:
            fail(f"the password was not accepted again: {page.url} {page.status_code}")
        # The cookies as the server set them last (the client also keeps those it was given,
        # without a domain, beside them).
        cookies = dict(cookies)
        for response in [*page.history, page]:
            cookies.update(response.cookies)
        return cookies


def by_next_link(base, cookies, url):
    """The address of a list's page as a person reaches it: by the "next" link of the page
    before it (which carries the row to seek from, cases/pagination.py)."""
    path, _, query = url.partition("?")
    params = dict(p.split("=", 1) for p in query.split("&") if p)
    page = int(params.get("page", "1"))
    if page < 2:
        return url
    before = "&".join(f"{k}={page - 1 if k == 'page' else v}" for k, v in params.items())
    with httpx.Client(base_url=base, cookies=cookies, timeout=60) as client:
        html = client.get(f"{path}?{before}").text
    match = re.search(r'rel="next" href="([^"]+)"', html)
    if not match:
        fail(f"no link to the next page on {path}?{before}")
    return path + match.group(1).replace("&amp;", "&")


def download(base, cookies, url, timeout=120):
    """One download read to its last byte: seconds, bytes, lines (rows of a CSV) and status."""
    started = time.perf_counter()
    size = lines = 0
    with (
        httpx.Client(base_url=base, cookies=cookies, timeout=timeout) as client,
        client.stream("GET", url) as response,
    ):
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
        status = response.status_code
        kind = response.headers.get("Content-Type", "")
    return {
        "s": round(time.perf_counter() - started, 2),
        "bytes": size,
        "lines": lines,
        "status": status,
        "content_type": kind.split(";")[0],
    }


def run_mixed(bases, jar, mixed, count, concurrency):
    """The pages in a shuffled mix, each with its person's session, as a load run; request i
    goes to server i mod len(bases), so every server answers every page and every person."""
    plan = [mixed[i % len(mixed)] for i in range(count)]
    local = threading.local()

    def one(i):
        page, url = plan[i]
        base = bases[i % len(bases)]
        clients = getattr(local, "clients", None)
        if clients is None:
            clients = local.clients = {}
        key = (base, id(jar[page]))
        if key not in clients:
            clients[key] = httpx.Client(base_url=base, cookies=jar[page], timeout=60)
        started = time.perf_counter()
        try:
            response = clients[key].get(url)
        except httpx.HTTPError as exc:
            return {
                "page": page,
                "url": url,
                "ms": (time.perf_counter() - started) * 1000,
                "error": repr(exc),
            }
        return {
            "page": page,
            "url": url,
            "base": base,
            "ms": (time.perf_counter() - started) * 1000,
            "status": response.status_code,
        }

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(count)))
