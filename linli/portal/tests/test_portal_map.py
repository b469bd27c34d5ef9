"""The portal's map: boundaries, nearby open demands, "我也遇到", and a submission with a picked point."""

import json

import pytest

from linli.demands.models import Demand
from linli.demands.tests import factories as df
from linli.org.services import boundaries_import
from linli.portal.tests.portal_helpers import form_data, fresh_token

JINRONG = [[[119.49, 26.63], [119.51, 26.63], [119.51, 26.65], [119.49, 26.65], [119.49, 26.63]]]


@pytest.fixture
def mapped(world):
    boundaries_import(
        data=json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": world.community.code},
                        "geometry": {"type": "Polygon", "coordinates": JINRONG},
                    }
                ],
            }
        ).encode()
    )
    return df.registered(world, text="校门口堵车", latitude=26.6412, longitude=119.5031)


def test_boundaries_are_public_geojson(client, world, mapped):
    data = client.get("/portal/map/boundaries.geojson").json()
    assert [f["properties"]["name"] for f in data["features"]] == [world.community.name]


def test_nearby_lists_open_demands_and_names_the_community(client, world, mapped):
    response = client.get("/portal/map/nearby/", {"lat": "26.6415", "lng": "119.5035"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "我也遇到" in body and world.community.name in body and "校门口堵车" not in body  # no text shown
    assert json.loads(response["HX-Trigger"]) == {"linli:community": world.community.pk}
    assert client.get("/portal/map/nearby/", {"lat": "x", "lng": "1"}).status_code == 422


def test_me_too_counts_once_and_bad_phone_changes_nothing(client, world, mapped):
    url = f"/portal/map/me-too/{mapped.pk}/"
    bad = client.post(url, {"metoo_phone": "123"})
    assert bad.status_code == 422 and "11位手机号" in bad.content.decode()
    ok = client.post(url, {"metoo_phone": "13911116666", "metoo_name": "周女士"})
    assert ok.status_code == 200 and mapped.code in ok.content.decode()
    again = client.post(url, {"metoo_phone": "13911116666"})
    assert "无需重复" in again.content.decode()
    mapped.refresh_from_db()
    assert mapped.supporters == 1


def test_a_submission_keeps_the_picked_point(client, world):
    data = form_data(client, world, latitude="26.64", longitude="119.5")
    data["form_token"] = fresh_token(client)
    response = client.post("/portal/submit/", data)
    assert response.status_code == 200
    demand = Demand.objects.latest("id")
    assert (float(demand.latitude), float(demand.longitude)) == (26.64, 119.5)
