"""Browser tests: Debian's Chromium, headless, driven by Playwright (no browser download).

The browser is found at ``LINLI_CHROMIUM`` (default /usr/bin/chromium). Without
it these tests are skipped, unless ``LINLI_REQUIRE_BROWSER=1`` (CI sets it),
which turns a missing browser into a failure. Screenshots of every page visited
are saved under ``artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(os.environ.get("LINLI_ARTIFACTS", "artifacts")) / "screenshots"
# Flags for a closed network: no background connections, no first-run work.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("LINLI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"LINLI_REQUIRE_BROWSER=1 but there is no browser at {CHROMIUM}")
        pytest.skip(f"no browser at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield chromium
        chromium.close()


class Screens:
    """Saves a full-page screenshot of each step, named after the test and the step."""

    def __init__(self, test_name: str):
        self.prefix = re.sub(r"[^\w-]+", "_", test_name)
        self.count = 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = SHOTS / f"{self.prefix}-{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request):
    return Screens(request.node.name)


@pytest.fixture(autouse=True)
def _cookies_without_expiry(settings):
    """The server's clock is frozen (linli/conftest.py) but Chromium's is real: a cookie that expires two hours
    after the frozen instant would already be expired for the browser. Session cookies keep the sign-in;
    the server still ends sessions after SESSION_COOKIE_AGE by its own clock."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None


@pytest.fixture
def new_page(browser, live_server):
    """A fresh browser context per person (its own cookies), at desktop or phone size."""
    contexts = []

    def make(*, width: int = 1280, height: int = 900, locale: str = "zh-CN"):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, base_url=live_server.url
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()
