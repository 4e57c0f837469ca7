"""Browser journeys: Playwright drives the system's Chromium against pytest-django's live server.

Every page a journey reaches goes through `Browser.check()`: a screenshot under
`e2e-artifacts/` at 1366 and at 375 px, axe-core at both widths (no serious or critical
violation) and a look at 320 px (no sideways scrolling). Each journey's wall-clock time is printed at the end of the run and written to
`e2e-artifacts/timings.json`.

Run with `make e2e`; a plain `pytest` deselects these tests (marker `e2e`)."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from .browser import ARTIFACTS, Browser

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to be
# called from it (the live server's own thread is unaffected).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=sv-SE",
]
# Chromium takes the language of its own widgets (date fields) from the environment.
CHROMIUM_ENV = {**os.environ, "LANG": "sv_SE.UTF-8", "LANGUAGE": "sv"}
DESKTOP = {"width": 1366, "height": 900}

_timings: dict[str, float] = {}


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}; `make e2e` installs it (apt-get install chromium)."
        )
    # Each run starts from an empty folder, so CI keeps this run's screenshots only. Under
    # pytest-xdist (`make e2e` runs two processes) the Makefile empties it before the workers
    # start: one worker must not remove what the other has written.
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(autouse=True)
def journey_timer(request):
    """Wall-clock time per journey: printed in the summary, kept in timings.json."""
    started = time.monotonic()
    yield
    _timings[request.node.name] = round(time.monotonic() - started, 1)
    # One file for every worker's journeys: read what the others wrote, add this one's.
    path = ARTIFACTS / "timings.json"
    try:
        written = json.loads(path.read_text())
    except (OSError, ValueError):
        written = {}
    path.write_text(json.dumps({**written, **_timings}, indent=2) + "\n")


def pytest_terminal_summary(terminalreporter):
    if not _timings:
        return
    terminalreporter.section("journey timings")
    for name, seconds in _timings.items():
        terminalreporter.write_line(f"{seconds:7.1f} s  {name}")
    terminalreporter.write_line(f"{sum(_timings.values()):7.1f} s  total")


@pytest.fixture
def browser_for(chromium, live_server, axe, request):
    """browser_for(who) -> a fresh browser (own cookies) for one person in this journey."""
    contexts = []
    journey = request.node.name.removeprefix("test_")

    def open_browser(who):
        # Reduced motion: charts are drawn at once, so a screenshot shows their real values.
        context = chromium.new_context(
            viewport=DESKTOP,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            accept_downloads=True,
            reduced_motion="reduce",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Browser(context, live_server.url, journey, who, axe)

    yield open_browser
    failed = getattr(request.node, "failed_call", False)
    for index, context in enumerate(contexts):
        if failed:
            # What the browser showed when the journey failed, to read next to the traceback.
            for page in context.pages:
                stem = ARTIFACTS / journey / f"failure-{index}"
                stem.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(page.content())
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.failed_call = True
    return report
