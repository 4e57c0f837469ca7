"""What every journey does in the browser: the checks each page gets, signing in, reading the
Swedish a person reads, and following links from e-mails."""

import contextlib
import re
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e-artifacts"
NARROW = 320
PHONE = 375
BLOCKING_IMPACTS = {"serious", "critical"}
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


class Browser:
    """One person's browser (a Playwright context and page) with the checks every page gets."""

    def __init__(self, context, base_url, journey, who, axe):
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url
        self.journey = journey
        self.who = who
        self.axe = axe
        self.steps = 0
        self.checked_urls = set()

    @property
    def folder(self):
        """Where this journey's screenshots and downloads go."""
        folder = ARTIFACTS / self.journey
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def go(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def check(self, step):
        """Screenshot the page at 1366 and 375 px, run axe-core at both, and make sure it fits
        320 px."""
        page = self.page
        page.wait_for_load_state("load")
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        folder = self.folder
        page.screenshot(path=folder / f"{self.who}-{self.steps:02d}-{slug}.png", full_page=True)
        assert page.locator("html").get_attribute("lang") == "sv", f"{step}: not in Swedish"

        self._axe(step, "desktop")

        size = page.viewport_size
        # A phone: the page as it reads at 375 px, and axe again (the folded menus, the
        # stacked tables).
        page.set_viewport_size({"width": PHONE, "height": size["height"]})
        try:
            page.wait_for_timeout(150)  # the tables' keyboard regions follow the resize
            page.screenshot(
                path=folder / f"{self.who}-{self.steps:02d}-{slug}-{PHONE}px.png", full_page=True
            )
            self._axe(step, f"{PHONE} px")
        finally:
            page.set_viewport_size(size)

        page.set_viewport_size({"width": NARROW, "height": size["height"]})
        try:
            # Charts and other scripts resize after the window does: let the layout settle.
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(FITS, timeout=2_000)
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert widths[0] <= widths[1], (
                f"{step} ({page.url}) scrolls sideways at {NARROW} px: "
                f"{widths[0]} px wide content; widest: {_widest(page)}"
            )
        finally:
            page.set_viewport_size(size)
        return page

    def _axe(self, step, width):
        blocking = _axe_blocking(self.axe.run(self.page))
        assert not blocking, (
            f"{step} ({self.page.url}, {width}) has accessibility violations:\n"
            + "\n".join(blocking)
        )


def _axe_blocking(results):
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def _widest(page):
    """The outermost elements that stick out to the right: what breaks the narrow layout."""
    return page.evaluate(
        """() => {
            const out = e => e.getBoundingClientRect().right > window.innerWidth + 1;
            // Content that scrolls inside its own box (.table-responsive) is no harm.
            const contained = e => {
                for (let a = e.parentElement; a; a = a.parentElement) {
                    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)
                        && !out(a)) return true;
                }
                return false;
            };
            return Array.from(document.querySelectorAll('body *'))
                .filter(e => out(e) && e.parentElement && !out(e.parentElement))
                .filter(e => !contained(e))
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (typeof e.className === 'string' && e.className
                        ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                     + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
        }"""
    )


def sv(text):
    """The Swedish the pages show for an English msgid: the journeys read what a person reads."""
    from django.utils import translation

    with translation.override("sv"):
        return translation.gettext(text)


def sign_in(browser, email, password, *, totp=None):
    """Through allauth's Swedish login page, as a person types it."""
    page = browser.go("/accounts/login/")
    page.get_by_label(sv("E-mail address")).fill(email)
    page.get_by_label(sv("Password"), exact=True).fill(password)
    page.get_by_role("button", name=sv("Sign in")).click()
    if totp is not None:
        page.wait_for_url("**/2fa/authenticate/")
        browser.check("enter your code")
        page.locator("input[name=code]").fill(totp())
        page.get_by_role("button", name=sv("Sign in")).click()
    page.wait_for_load_state("load")
    return page


def path_in(message, pattern):
    """The path of the link in an e-mail (the host is the live server's either way)."""
    match = re.search(r"https?://[^/\s]+(" + pattern + ")", message.body)
    assert match, f"no link matching {pattern} in: {message.body}"
    return match.group(1)


def choose(select, text):
    """Pick the option of a <select> whose label contains `text`, as a person reads the list."""
    select.wait_for()
    labels = select.locator("option").all_inner_texts()
    matching = [label for label in labels if text in label]
    assert matching, f"no option with {text!r} among {labels}"
    select.select_option(label=matching[0])


def site_menu(page, name, *, exact=True):
    """Follow a link of the site menu, opening its group (a dropdown) first, as a person does;
    on a phone the menu itself folds into a button, opened first too."""
    toggle = page.locator("[data-bs-target='#site-menu']")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    # A link in a closed dropdown is hidden, so it is found by its text, not its role.
    text = re.compile(rf"^\s*{re.escape(name)}\s*$") if exact else name
    link = page.locator("#site-menu a").filter(has_text=text).first
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')][1]/button").click()
    link.click()
