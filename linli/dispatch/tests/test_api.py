"""GET /api/v1/route: the unit the dispatch catalogue suggests for a category in a community (given / when / then)."""

from __future__ import annotations

import pytest

from linli.demands.tests.test_api import Api, expect


@pytest.fixture
def dispatcher(world):
    return Api(world.user("dispatcher"))


def suggested(api, **params):
    return expect(api.get("/route", params), 200)["unit"]


def test_the_deepest_category_with_a_line_wins(world, dispatcher):
    # 市政管理 -> 区城管局; 占道经营 in 金榕社区 -> 金榕社区居委会; 道路交通秩序 inherits 交通运输 -> 区交警大队
    assert suggested(dispatcher, category=world.categories["mid"].pk, community=world.community.pk) == {
        "id": world.cg.pk,
        "name": "区城管局",
    }
    assert suggested(dispatcher, category=world.categories["vendors"].pk, community=world.community.pk) == {
        "id": world.committee.pk,
        "name": "金榕社区居委会",
    }
    assert suggested(dispatcher, category=world.categories["traffic"].pk)["name"] == "区交警大队"


def test_a_line_for_another_area_does_not_apply(world, dispatcher):
    # 占道经营's own line is for 金榕社区 only; in 涵江村 its parent 市政管理 decides.
    unit = suggested(dispatcher, category=world.categories["vendors"].pk, community=world.other_community.pk)
    assert unit == {"id": world.cg.pk, "name": "区城管局"}
    assert suggested(dispatcher, category=world.categories["vendors"].pk)["name"] == "区城管局"


def test_no_line_means_no_suggestion(world, dispatcher):
    assert suggested(dispatcher, category=world.categories["top"].pk, community=world.community.pk) is None


def test_unknown_or_missing_input_is_a_json_error(world, dispatcher):
    expect(dispatcher.get("/route", {"category": 987654}), 422, "category.unknown")
    category = world.categories["mid"].pk
    expect(
        dispatcher.get("/route", {"category": category, "community": 987654}), 422, "org.unknown_jurisdiction"
    )
    # a street is not a community
    expect(dispatcher.get("/route", {"category": category, "community": world.street.pk}), 422)
    expect(dispatcher.get("/route"), 422, "request.invalid")
    expect(dispatcher.get("/route", {"category": "x"}), 422, "request.invalid")
    expect(Api().get("/route", {"category": category}), 401, "auth.required")
