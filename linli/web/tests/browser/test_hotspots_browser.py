"""The hotspot page on a phone (Debian's Chromium): ranked issues, and one click lists an issue's demands.

The live server runs in another thread, where the test clock does not reach,
so the page is asked for the story's period explicitly.
"""

from __future__ import annotations

import pytest

from linli.analytics.tests.hot_story import build
from linli.org.tests.factories import PASSWORD
from linli.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_on_a_phone_the_hotspot_page_ranks_issues_and_clicking_one_lists_its_demands(world, new_page, shots):
    story = build(world)
    page = new_page(width=360, height=740)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, "dispatcher", PASSWORD)
    page.goto("/hotspots/?from=2025-03-01&to=2025-04-30")
    first = page.locator("#issue-1")
    assert "金榕小区" in first.locator("h2").inner_text() and first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "scrolls sideways"
    shots(page, "hotspots")

    first.get_by_role("link", name="查看这 4 件诉求").click()
    page.wait_for_url("**/demands/?ids=*")
    assert page.locator("#issue-filter").is_visible()
    codes = page.locator("#results tbody td:first-child a").all_inner_texts()
    assert sorted(codes) == sorted(d.code for d in story["hot"])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "scrolls sideways"
    shots(page, "issue-demands")
    assert errors == []
