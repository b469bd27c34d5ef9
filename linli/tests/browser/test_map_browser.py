"""The portal map on a phone: tap a point, the community is chosen, nearby demands show, "我也遇到" counts."""

from __future__ import annotations

import json

import pytest

from linli.demands.models import Demand
from linli.demands.tests import factories as df
from linli.org.services import boundaries_import

pytestmark = pytest.mark.django_db(transaction=True)

JINRONG = [[[119.49, 26.63], [119.51, 26.63], [119.51, 26.65], [119.49, 26.65], [119.49, 26.63]]]
OTHER = [[[119.51, 26.63], [119.53, 26.63], [119.53, 26.65], [119.51, 26.65], [119.51, 26.63]]]


def test_a_resident_picks_the_place_and_says_me_too_on_a_phone(world, new_page, shots):
    features = [
        {
            "type": "Feature",
            "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": rings},
        }
        for code, rings in ((world.community.code, JINRONG), (world.other_community.code, OTHER))
    ]
    boundaries_import(data=json.dumps({"type": "FeatureCollection", "features": features}).encode())
    gate = df.registered(world, text="校门口早高峰堵车", latitude=26.6402, longitude=119.5001)

    page = new_page(width=390, height=844)
    page.goto("/portal/submit/")
    the_map = page.locator("#pick-map")
    page.wait_for_function("document.querySelectorAll('#pick-map path.leaflet-interactive').length === 2")
    assert page.get_by_label("所在社区/村").input_value() == ""
    # tap a quarter of the way across, half-way down: inside 金榕社区's square (the left one), near the gate
    box = the_map.bounding_box()
    the_map.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.5})
    page.wait_for_selector("#nearby .nearby-list li")
    shots(page, "picked")
    lat = float(page.locator("input[name=latitude]").input_value())
    lng = float(page.locator("input[name=longitude]").input_value())
    assert 26.63 < lat < 26.65 and 119.49 < lng < 119.51
    assert page.get_by_label("所在社区/村").input_value() == str(world.community.pk)
    assert the_map.get_attribute("data-picked")

    item = page.locator(f"#nearby-{gate.pk}")
    item.get_by_text("我也遇到", exact=True).click()
    item.get_by_label("手机号").fill("13911117777")
    item.get_by_role("button", name="确认我也遇到").click()
    page.wait_for_selector(f"#metoo-{gate.pk} .ok")
    shots(page, "me-too")
    assert gate.code in item.inner_text()
    assert Demand.objects.get(pk=gate.pk).supporters == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
