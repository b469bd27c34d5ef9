"""Reference endpoints: who am I, units, jurisdictions, categories."""

from __future__ import annotations

import pytest
from django.test import Client

from linli.org.services import api_token_create

BASE = "/api/v1"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def get(world, username: str, path: str, params=None):
    client = Client()
    client.force_login(world.user(username))
    return client.get(BASE + path, params or {})


def test_me_tells_the_role_unit_and_what_the_user_may_do(world):
    me = get(world, "cg_boss", "/me").json()
    assert (me["username"], me["role"], me["role_label"]) == ("cg_boss", "unit_supervisor", "单位负责人")
    assert me["unit"] == {"id": world.cg.pk, "name": "区城管局"} and me["jurisdiction"] is None
    assert me["permissions"]["can_supervise"] is True
    assert me["permissions"]["can_dispatch"] is False and me["permissions"]["can_see_full_phone"] is False
    leader = get(world, "leader", "/me").json()
    assert leader["jurisdiction"]["name"] == "榕城区" and leader["permissions"]["can_escalate"] is True


def test_me_with_an_api_token(world):
    _, secret = api_token_create(user=world.user("agent"), name="热线系统")
    r = Client().get(BASE + "/me", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 200 and r.json()["display_name"] == "话务员小林"
    assert Client().get(BASE + "/me").json()["code"] == "auth.required"


def test_units_list_active_units_with_their_area(world):
    units = {u["code"]: u for u in get(world, "agent", "/units").json()}
    assert set(units) == {"CG", "JJ", "JR", "JH"}
    assert units["JR"]["kind_label"] == "社区居委会" and units["JR"]["jurisdiction"]["name"] == "金榕社区"


def test_jurisdictions_filter_by_level(world):
    everything = get(world, "dispatcher", "/jurisdictions").json()
    assert [j["name"] for j in everything] == ["宁川市", "榕城区", "金涵乡", "金榕社区", "涵江村"]
    villages = get(world, "dispatcher", "/jurisdictions", {"level": "village"}).json()
    assert [(j["name"], j["parent_id"]) for j in villages] == [("涵江村", world.street.pk)]
    r = get(world, "dispatcher", "/jurisdictions", {"level": "planet"})
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"


def test_categories_tree_and_level_filter(world):
    cats = get(world, "worker", "/categories").json()
    assert {c["full_name"] for c in cats} >= {"城乡建设/市政管理/占道经营", "交通运输/道路交通秩序"}
    top = get(world, "worker", "/categories", {"level": 1}).json()
    assert sorted(c["name"] for c in top) == ["交通运输", "城乡建设"]
    assert all(c["parent_id"] is None and c["top_id"] == c["id"] for c in top)
    assert get(world, "worker", "/categories", {"level": 4}).status_code == 422
