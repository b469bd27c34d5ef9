"""The browser fixtures of the web app's browser tests (Debian's Chromium through Playwright)."""

from linli.web.tests.browser.conftest import (  # noqa: F401
    _cookies_without_expiry,
    browser,
    new_page,
    shots,
)
