"""Browser journeys: Playwright driving Debian's chromium at phone size.

Screenshots of each step go to test-artifacts/browser/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PHONE = {"width": 360, "height": 740}



@pytest.fixture(scope="module")
def chromium():
    if not os.path.exists(CHROMIUM):
        advice = (f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) "
                  "or point CHROMIUM at one; .ci/run installs it.")
        if os.environ.get("CI"):
            pytest.fail(advice)  # in CI a browser test never skips
        pytest.skip(advice)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the tests' own ORM
    # calls are still synchronous, so tell Django they are safe while the browser is up.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def phone(chromium, request):
    """A fresh phone-sized page; language from the test's `browser_locale` mark (default en)."""
    mark = request.node.get_closest_marker("browser_locale")
    locale = mark.args[0] if mark else "en-US"
    context = chromium.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def shoot(request):
    """shoot(page, "step") saves a screenshot named after the test and the step."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(page, step):
        name = f"{request.node.name}-{next(counter):02d}-{step}.png"
        page.wait_for_load_state()
        try:
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        except PlaywrightError as error:  # on a busy machine chromium now and then has no frame
            if "Unable to capture screenshot" not in str(error):
                raise
            page.wait_for_timeout(250)
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        # A full-page shot resizes the page and back; in headless chromium the next click
        # after that, while a field still has focus, only ends the field's editing and does
        # not press the button. A person never takes screenshots mid-form: leave the field.
        page.evaluate("document.activeElement.blur()")
        return ARTIFACTS / name

    return take


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def log_in(page, base, username, password=None):
    """Log in through the page; a coordinator then types their current code."""
    from conftest import PASSWORD, current_code, give_second_factor
    from sinfronteras.members.models import Member

    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("Login name").fill(username)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Log in").click()
    member = Member.objects.get(username=username)
    if member.is_coordinator:
        give_second_factor(member)
        page.goto(f"{base}/two-factor/")
        page.locator("#id_code").fill(current_code(member))
        page.get_by_role("button", name="Confirm").click()
