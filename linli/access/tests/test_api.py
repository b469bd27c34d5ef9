"""The JSON API under /api/v1/access/: catalogue, requests (file, get, decide, refuse), public lookup, ledger."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test.utils import override_settings

from linli.access.models import Task
from linli.access.tests import factories as f
from linli.core import clock

pytestmark = pytest.mark.django_db
API = "/api/v1/access"


def test_catalogue_versions_and_diff(client, signed_in, world, cat):
    signed_in("coord")
    body = client.get(f"{API}/catalogue").json()
    assert body["version"] == cat.number and len(body["items"]) == len(f.ITEMS)
    assert client.get(f"{API}/catalogue/versions").json()[0]["status"] == "published"
    diff = client.get(f"{API}/catalogue/diff", {"old": cat.number, "new": cat.number}).json()
    assert diff["added"] == [] and diff["removed"] == [] and diff["changed"] == []
    assert (
        client.get(f"{API}/catalogue/diff", {"old": 1, "new": 99}).json()["code"]
        == "access.version_not_found"
    )


def test_file_get_decide_and_refuse_through_the_api(client, signed_in, world, cat):
    signed_in("cg_handler")
    deadline = (clock.today() + dt.timedelta(days=5)).isoformat()
    r = client.post(
        f"{API}/requests",
        {
            "title": "垃圾分类督导员值守",
            "content": "请安排人员在投放点值守督导",
            "target_ids": [world.community.pk],
            "deadline": deadline,
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    req = r.json()
    assert req["status"] == "pending" and req["working_days_left"] == 15 and req["match"]["why"]
    task = Task.objects.get(request_id=req["id"])
    signed_in("worker")
    refused = client.post(f"{API}/tasks/{task.pk}/refuse", {}, content_type="application/json").json()
    assert refused["status"] == "refused" and "准入" in refused["refusal_reason"]
    signed_in("coord")
    decided = client.post(
        f"{API}/requests/{req['id']}/decide",
        {"decision": "reject", "reason": "部门职责"},
        content_type="application/json",
    ).json()
    assert decided["status"] == "rejected"
    again = client.post(
        f"{API}/requests/{req['id']}/decide", {"decision": "approve_once"}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "access.already_decided"
    signed_in("cg_handler")
    seen = client.get(f"{API}/requests/{req['id']}").json()
    assert [e["kind"] for e in seen["events"]] == ["filed", "pending", "community_refused", "reject"]
    assert seen["tasks"][0]["status"] == "refused"


def test_bad_requests_are_422_with_codes_never_500(client, signed_in, world, cat):
    signed_in("cg_handler")
    past = (clock.today() - dt.timedelta(days=1)).isoformat()
    future = (clock.today() + dt.timedelta(days=30)).isoformat()
    r = client.post(
        f"{API}/requests",
        {"title": "a", "content": "b", "target_ids": [world.community.pk], "deadline": past},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["code"] == "access.deadline_past"
    r = client.post(
        f"{API}/requests",
        {"title": "a", "content": "b", "target_ids": [], "deadline": future},
        content_type="application/json",
    )
    assert r.json()["code"] == "access.no_target"
    r = client.post(
        f"{API}/requests",
        {"title": "a", "content": "b", "target_ids": [world.community.pk], "deadline": "2099-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["code"] == "common.date_out_of_range"
    r = client.post(f"{API}/requests", {"title": "a"}, content_type="application/json")
    assert r.status_code == 422


def test_a_request_is_404_for_those_who_may_not_see_it(client, signed_in, world, cat):
    req = f.pending(world)
    signed_in("jj_handler")
    assert client.get(f"{API}/requests/{req.pk}").status_code == 404
    signed_in("worker")
    assert client.get(f"{API}/requests/{req.pk}").status_code == 200


def test_public_lookup_needs_no_login_and_is_rate_limited(client, world):
    f.certificates()
    cache.clear()
    body = client.get(f"{API}/public/certificates", {"q": "要开个无犯罪证明"}).json()
    assert body["results"][0]["name"] == "无犯罪记录证明" and not body["results"][0]["issuable"]
    assert "派出所" in body["results"][0]["where_to_go"]
    with override_settings(LINLI_PUBLIC_RATE_LIMITS={"public_certificates": 2}):
        codes = [client.get(f"{API}/public/certificates", {"q": "居住证明"}).status_code for _ in range(4)]
    assert codes[-1] == 429
    cache.clear()


def test_ledger_for_overseers_only(client, signed_in, world, cat):
    f.admitted(world)
    today = clock.today().isoformat()
    signed_in("leader")
    body = client.get(f"{API}/ledger", {"date_from": today, "date_to": today}).json()
    row = next(r for r in body["rows"] if r["name"] == "金榕社区")
    assert row["admitted"] == 1
    signed_in("cg_handler")
    assert client.get(f"{API}/ledger", {"date_from": today, "date_to": today}).status_code == 403


def test_the_ledger_shows_a_district_reader_only_their_district(client, signed_in, world, cat):
    """A district's leader and coordination office see their own communities and totals, in the API, on the
    page and in the XLSX; the city-level office sees every community and the city's totals."""
    import io

    from openpyxl import load_workbook

    from linli.access import services as s
    from linli.org.services import jurisdiction_create, staff_create, unit_create
    from linli.org.states import Role
    from linli.org.tests.factories import PASSWORD

    other = jurisdiction_create(code="350903", name="荔城区", level="district", parent=world.city)
    street = jurisdiction_create(code="350903101", name="黄石镇", level="street", parent=other)
    hs = jurisdiction_create(
        code="350903101001", name="黄石社区", level="community", parent=street, population=5000
    )
    unit_create(code="HSJ", name="黄石社区居委会", kind="community_committee", jurisdiction=hs)
    for name, role in (("o_leader", Role.LEADER), ("o_coord", Role.COORDINATION_OFFICE)):
        world.users[name] = staff_create(username=name, password=PASSWORD, role=role, jurisdiction=other)
    today = clock.today()
    s.plaque_hang(
        actor=world.user("coord"), community_id=hs.pk, name="黄石示范岗", hung_by="区文明办", hung_at=today
    )
    f.admitted(world)  # a task of 金榕社区 (榕城区)
    period = {"date_from": today.isoformat(), "date_to": today.isoformat()}

    def ledger(name):
        signed_in(name)
        return client.get(f"{API}/ledger", period).json()

    mine = ledger("leader")  # 榕城区
    assert {r["name"] for r in mine["rows"]} == {"金榕社区", "涵江村"}
    assert (mine["totals"]["admitted"], mine["totals"]["plaques"], mine["area"]["name"]) == (1, 0, "榕城区")
    for name in ("o_leader", "o_coord"):
        theirs = ledger(name)
        assert [r["name"] for r in theirs["rows"]] == ["黄石社区"]
        assert (theirs["totals"]["admitted"], theirs["totals"]["plaques"]) == (0, 1)
        page = client.get("/access/ledger/").content.decode()
        assert "黄石社区" in page and "金榕社区" not in page and "荔城区对比" in page
        book = load_workbook(io.BytesIO(client.get("/access/ledger/", {"format": "xlsx"}).content))
        cells = {str(c.value) for row in book.active.iter_rows() for c in row}
        assert "黄石社区" in cells and "金榕社区" not in cells
    city = ledger("coord")
    assert {r["name"] for r in city["rows"]} == {"金榕社区", "涵江村", "黄石社区"}
    assert (city["totals"]["admitted"], city["totals"]["plaques"], city["area"]) == (1, 1, None)
    assert "全市对比" in client.get("/access/ledger/").content.decode()
