"""Community boundaries from a GeoJSON upload: all or nothing, and a picked point finds its community."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from linli.core.errors import ApplicationError
from linli.org.models import Jurisdiction
from linli.org.selectors import boundaries_geojson, community_at
from linli.org.services import boundaries_import

SQUARE = [[[119.54, 26.65], [119.56, 26.65], [119.56, 26.67], [119.54, 26.67], [119.54, 26.65]]]
HOLE = [[119.545, 26.655], [119.548, 26.655], [119.548, 26.658], [119.545, 26.658], [119.545, 26.655]]
NEXT = [[[119.56, 26.65], [119.58, 26.65], [119.58, 26.67], [119.56, 26.67], [119.56, 26.65]]]


def _collection(*features):
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": code},
                    "geometry": {"type": "Polygon", "coordinates": rings},
                }
                for code, rings in features
            ],
        }
    ).encode()


def test_import_and_find_the_community_of_a_point(world):
    data = _collection((world.community.code, [*SQUARE, HOLE]), (world.other_community.code, NEXT))
    assert boundaries_import(data=data) == {"updated": 2}
    assert community_at(latitude=26.66, longitude=119.55) == world.community
    assert community_at(latitude=26.66, longitude=119.57) == world.other_community
    assert community_at(latitude=26.656, longitude=119.546) is None  # inside the hole
    assert community_at(latitude=30.0, longitude=119.55) is None
    shapes = boundaries_geojson()
    assert {f["properties"]["name"] for f in shapes["features"]} == {
        world.community.name,
        world.other_community.name,
    }


def test_one_bad_feature_imports_nothing_and_says_which(world):
    bad_ring = [[[119.54, 26.65], [119.56, 26.65], [119.54, 26.65]]]
    data = _collection(
        (world.community.code, SQUARE), ("999999", NEXT), (world.other_community.code, bad_ring)
    )
    with pytest.raises(ApplicationError) as exc:
        boundaries_import(data=data)
    assert exc.value.code == "org.bad_boundaries"
    assert [p["feature"] for p in exc.value.details["problems"]] == [1, 2]
    assert not Jurisdiction.objects.filter(boundary__isnull=False).exists()
    with pytest.raises(ApplicationError):
        boundaries_import(data=b"not json")


def test_the_command_imports_a_file(world, tmp_path, capsys):
    path = tmp_path / "communities.geojson"
    path.write_bytes(_collection((world.community.code, SQUARE)))
    call_command("boundaries", "import", str(path))
    assert "1" in capsys.readouterr().out
    path.write_bytes(b"{}")
    with pytest.raises(CommandError):
        call_command("boundaries", "import", str(path))


def test_the_admin_upload_page(world, client):
    client.force_login(world.user("admin"))
    assert client.get("/admin/org/jurisdiction/").status_code == 200
    page = client.get("/admin/org/jurisdiction/boundaries/")
    assert page.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("b.geojson", _collection((world.community.code, SQUARE)))
    response = client.post("/admin/org/jurisdiction/boundaries/", {"file": upload})
    assert response.status_code == 302
    assert Jurisdiction.objects.get(pk=world.community.pk).boundary["type"] == "Polygon"
