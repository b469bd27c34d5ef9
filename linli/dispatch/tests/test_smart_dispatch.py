"""Smart dispatch as dispatchers and residents meet it (given / when / then)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from linli.core import clock
from linli.demands import services as s
from linli.demands.tests.test_api import Api, expect
from linli.dispatch import modelstore
from linli.dispatch.models import DispatchDecision
from linli.dispatch.selectors import dispatch_quality, dispatch_suggest
from linli.dispatch.services import crosswalk_set, dispatch_model_train
from linli.org.services import jurisdiction_create

VENDORS = "菜市场门口流动摊贩占道经营，垃圾满地，行人无法通过。"


@pytest.fixture(autouse=True)
def _crosswalk(world):
    """The starter corpus reaches this small tree through a crosswalk: two reference branches, the rest unmapped."""
    crosswalk_set(reference_path="城乡建设", category=world.categories["top"])
    crosswalk_set(reference_path="环境保护", category=world.categories["top"])  # filed under 城乡建设 here
    crosswalk_set(reference_path="交通运输", category=world.categories["traffic_top"])


def register(world, text=VENDORS, community=None, channel="hotline", phone="13812341234"):
    actor = world.user("agent") if channel == "hotline" else None
    return s.demand_register(
        actor=actor,
        channel=channel,
        demand_type="complaint",
        text=text,
        community_id=(community or world.community).pk,
        phone=phone,
    )


def test_traditional_text_is_classified_like_simplified(world):
    simplified = dispatch_suggest(text="小区物业不打扫楼道，电梯坏了半个月也不修", jurisdiction_id=None)
    traditional = dispatch_suggest(text="小區物業不打掃樓道，電梯壞了半個月也不修", jurisdiction_id=None)
    assert simplified.top3 == traditional.top3
    assert simplified.top3[0][1] == "城乡建设" and not simplified.abstained


def test_a_long_letter_is_filed_by_the_problem_it_opens_with(world):
    # The board's long letters name the problem first; what follows (the writer's journeys, buses, roads)
    # must not pull the suggestion towards another department.
    opening = VENDORS * 10  # the body's first 250 characters
    journeys = (
        "我每天坐公交车上班，公交线路绕路，车次太少，高速公路收费站拥堵，驾校报名难，出租车拒载，交警查车。"
        * 12
    )
    short = dispatch_suggest(text=VENDORS, jurisdiction_id=None)
    long = dispatch_suggest(text=opening + journeys, jurisdiction_id=None)
    assert short.top3[0][1] == long.top3[0][1] == "城乡建设"


@pytest.mark.parametrize("text", ["啊啊啊啊啊", "asdf qwer zxcv", "1234567"])
def test_nonsense_is_left_to_the_dispatcher(world, text):
    suggestion = dispatch_suggest(text=text, jurisdiction_id=world.community.pk)
    assert suggestion.abstained and suggestion.category_id is None and suggestion.lead_unit_id is None


def test_the_suggested_category_routes_through_the_catalogue(world):
    # the model says 城乡建设/城市管理; this tree knows 城乡建设, which has no catalogue line: no unit
    suggestion = dispatch_suggest(text=VENDORS, jurisdiction_id=world.community.pk)
    assert suggestion.category_id == world.categories["top"].pk and suggestion.lead_unit_id is None
    # with a line for 城乡建设 the unit follows
    from linli.dispatch.services import dispatch_rule_set

    dispatch_rule_set(category=world.categories["top"], unit=world.street_office)
    suggestion = dispatch_suggest(text=VENDORS, jurisdiction_id=world.community.pk)
    assert (suggestion.lead_unit_id, suggestion.lead_unit_name) == (world.street_office.pk, "金涵乡政府")


def test_duplicates_are_offered_for_the_same_issue_at_the_same_place_only(world):
    first = register(world)
    register(world, text="小区物业费上涨了，没有开业主大会")  # another issue, same place
    far_street = jurisdiction_create(code="350902102", name="城南街道", level="street", parent=world.district)
    far = jurisdiction_create(code="350902102001", name="南湖社区", level="community", parent=far_street)

    again = "菜市场门口摊贩占道经营，垃圾满地，行人过不去！"
    here = dispatch_suggest(text=again, jurisdiction_id=world.community.pk)
    assert [x[1] for x in here.similar] == [first.code]
    assert 0.3 <= here.similar[0][3] <= 1
    assert dispatch_suggest(text=again, jurisdiction_id=far.pk).similar == ()
    assert dispatch_suggest(text=again, jurisdiction_id=None).similar == ()
    # a closed demand is not offered
    s.demand_withdraw(actor=world.user("dispatcher"), demand_id=first.pk, reason="居民撤回")
    assert dispatch_suggest(text=again, jurisdiction_id=world.community.pk).similar == ()


def test_only_identical_public_submissions_are_merged_without_a_person(world, settings):
    settings.LINLI_DISPATCH_AUTO_MERGE = True
    first = register(world, channel="web", phone="13900001111")
    copy = register(world, text=" " + VENDORS.replace("，", ",") + " ", channel="web", phone="13900002222")
    copy.refresh_from_db()
    assert (copy.status, copy.master_id) == ("merged", first.pk)
    assert copy.events.filter(kind="merged", note__contains="自动合并").exists()

    near = register(world, text=VENDORS + "请尽快处理", channel="web", phone="13900003333")
    by_phone = register(world)  # an agent's identical hotline record is left to the dispatcher
    elsewhere = register(world, community=world.other_community, channel="web")
    for d in (near, by_phone, elsewhere):
        d.refresh_from_db()
        assert (d.status, d.master_id) == ("registered", None)


@pytest.mark.parametrize(
    "text",
    [
        "加微信lx88886666，代开发票，低价出售，优惠多多",
        "兼职刷单日赚五百，点击链接 http://example.cn 免费领取",
        "你们这些狗官，傻逼",
        "啊啊啊啊啊啊啊啊啊啊啊啊",
    ],
)
def test_advertising_spam_and_abuse_on_public_channels_are_flagged_not_dropped(world, text):
    receipt = expect(
        Api().post(
            "/public/demands",
            {
                "demand_type": "complaint",
                "text": text,
                "phone": "13900001111",
                "community_id": world.community.pk,
            },
        ),
        201,
    )
    detail = expect(Api(world.user("dispatcher")).get(f"/demands/{_id(receipt['code'])}"), 200)
    assert detail["status"] == "registered" and detail["junk"] is True and detail["junk_reason"]
    assert detail["suggestion"]["junk"] is True


@pytest.mark.parametrize(
    "text",
    [
        "昨晚小区门口两伙人打架，有人受伤流血，请派出所处理",
        "我家房子没签协议就被强拆了，拆迁补偿一直不给",
        "小区电动车接连被偷，监控坏了物业不管",
        "邻居骂人还砸了我家窗户玻璃，请社区调解",
    ],
)
def test_complaints_about_fights_demolition_and_theft_are_not_junk(world, text):
    receipt = expect(
        Api().post("/public/demands", {"demand_type": "complaint", "text": text, "phone": "13900001111"}), 201
    )
    detail = expect(Api(world.user("dispatcher")).get(f"/demands/{_id(receipt['code'])}"), 200)
    assert (detail["junk"], detail["junk_reason"]) == (False, "")


def _id(code):
    from linli.demands.models import Demand

    return Demand.objects.get(code=code).pk


def test_identical_submissions_stay_apart_unless_the_city_turns_auto_merge_on(world):
    register(world, channel="web", phone="13900001111")
    copy = register(world, channel="web", phone="13900002222")
    assert copy.status == "registered"
    assert [x[1] for x in dispatch_suggest(text=VENDORS, jurisdiction_id=world.community.pk).similar] != []


def test_corrections_are_recorded_and_teach_the_next_model(world):
    dispatcher = world.user("dispatcher")
    text = "公园旁边的马路每天傍晚有人飙车，轰鸣声很大"
    before = dispatch_suggest(text=text, jurisdiction_id=world.community.pk)
    assert before.top3[0][1] != "交通运输"
    for _ in range(3):
        d = register(world, text=text)
        s.demand_dispatch(
            actor=dispatcher,
            demand_id=d.pk,
            category_id=world.categories["traffic"].pk,
            lead_unit_id=world.jj.pk,
        )
    decisions = DispatchDecision.objects.filter(final_path="交通运输/道路交通秩序")
    assert decisions.count() == 3 and all(x.corrected for x in decisions)

    result = dispatch_model_train()
    assert result["version"] == "v1" and result["corrections"] == 3
    after = dispatch_suggest(text=text, jurisdiction_id=world.community.pk)
    assert after.model_version == "v1"
    assert after.top3[0][1] == "交通运输" and after.category_id == world.categories["traffic"].pk
    assert after.lead_unit_id == world.jj.pk

    day = clock.local_date(d.registered_at)  # the report's months are local months
    report = dispatch_quality(year=day.year, month=day.month)
    assert report["dispatches"] >= 3 and report["corrections"] == 3


def test_assisting_units_come_from_past_joint_handling(world):
    from linli.dispatch.classifier import Sample

    history = [
        Sample(
            text=VENDORS,
            path="城乡建设/市政管理",
            lead_unit_id=world.cg.pk,
            assisting_unit_ids=(world.jj.pk,),
        )
        for _ in range(4)
    ]

    class Row:
        def __init__(self, sample, i):
            self.demand_id, self.title, self.text = 10_000 + i, "", sample.text
            self.category_path, self.lead_unit_id = sample.path, sample.lead_unit_id
            self.assisting_unit_ids = sample.assisting_unit_ids

    dispatch_model_train(history=[Row(x, i) for i, x in enumerate(history)])
    suggestion = dispatch_suggest(text=VENDORS, jurisdiction_id=world.community.pk)
    assert suggestion.category_id == world.categories["mid"].pk
    assert suggestion.lead_unit_id == world.cg.pk
    assert suggestion.assisting == ((world.jj.pk, "区交警大队"),)


def test_a_half_written_model_file_never_replaces_the_current_one(world, tmp_path):
    dispatch_model_train()
    version, _ = modelstore.current_model()
    broken = tmp_path / "models" / "dispatch-v9.npz"
    broken.write_bytes(b"not a model")
    (tmp_path / "models" / "dispatch-current.json").write_text('{"version": "v9", "file": "dispatch-v9.npz"}')
    modelstore._state["checked"] = 0.0
    assert modelstore.current_model()[0] == version


def _csv(tmp_path, rows):
    path = tmp_path / "in.csv"
    path.write_text(
        "id,title,body,created_at\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8"
    )
    return str(path)


def _lines(capsys):
    return [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]


def test_classify_screen_and_hotspots_commands_print_json_lines(tmp_path, capsys):
    from linli.dispatch.classifier import train
    from linli.dispatch.corpus import starter_samples

    # the evaluation's model: the starter corpus in its own reference labels, as bench/dispatch_eval.py saves one
    model_file = modelstore.save_model(train(starter_samples()), tmp_path / "eval.npz", version="eval")
    path = _csv(
        tmp_path,
        [
            ("1", "金榕小区电梯坏了", "金榕小区电梯坏了半个月物业不修", "2024/3/1 10:00:00"),
            ("2", "金榕小区电梯故障", "金榕小区电梯又坏了，物业一直不修，老人下不了楼", "2024/3/2 10:00:00"),
            ("3", "工资", "公司拖欠工资三个月", "2024-03-03 09:00:00"),
            ("4", "", "加微信lx88886666 代开发票 低价出售", "2024-03-03"),
        ],
    )
    call_command("classify", csv=path, model=str(model_file))
    rows = _lines(capsys)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert set(rows[0]) >= {"id", "level1", "path", "confidence", "top3"}
    assert rows[2]["level1"] == "劳动和社会保障" and rows[2]["path"].startswith("劳动和社会保障")
    assert len(rows[0]["top3"]) == 3 and 0 <= rows[0]["confidence"] <= 1

    call_command("screen", csv=path)
    assert [(r["id"], r["junk"]) for r in _lines(capsys)] == [
        ("1", False),
        ("2", False),
        ("3", False),
        ("4", True),
    ]

    call_command("hotspots", csv=path, top=5)
    spots = _lines(capsys)
    assert [(h["rank"], h["size"], sorted(h["ids"])) for h in spots] == [(1, 2, ["1", "2"])]
    assert "金榕小区" in spots[0]["label"] and spots[0]["place"] == "金榕小区"


def test_classify_with_a_saved_model_file(tmp_path, capsys):
    from linli.dispatch.classifier import Sample, train

    model = train([Sample(text="路灯坏了", path="甲"), Sample(text="工资拖欠", path="乙")] * 3)
    path = modelstore.save_model(model, tmp_path / "m.npz", version="test")
    call_command("classify", csv=_csv(tmp_path, [("9", "", "路灯坏了", "")]), model=str(path))
    assert _lines(capsys)[0]["level1"] == "甲"


def test_suggest_endpoint(world):
    api = Api(world.user("dispatcher"))
    first = register(world)
    body = expect(api.post("/dispatch/suggest", {"text": VENDORS, "community": world.community.pk}), 200)
    assert body["top3"][0] == {
        "category_id": world.categories["top"].pk,
        "name": "城乡建设",
        "confidence": body["confidence"],
    }
    assert body["abstained"] is False and body["junk"] is False
    assert body["similar"][0]["code"] == first.code
    assert expect(api.post("/dispatch/suggest", {"text": "啊啊啊啊"}), 200)["abstained"] is True


def test_suggest_endpoint_refuses_bad_input_with_a_code(world):
    api = Api(world.user("dispatcher"))
    expect(api.post("/dispatch/suggest", {"text": ""}), 422, "request.invalid")
    expect(api.post("/dispatch/suggest", {}), 422, "request.invalid")
    expect(api.post("/dispatch/suggest", {"text": "x" * 5001}), 422, "request.invalid")
    expect(api.post("/dispatch/suggest", {"text": "路灯\x00坏了"}), 422, "request.invalid")
    expect(
        api.post("/dispatch/suggest", {"text": "路灯坏了", "community": 987654}),
        422,
        "org.unknown_jurisdiction",
    )
    expect(api.post("/dispatch/suggest", {"text": "路灯坏了", "community": "x"}), 422, "request.invalid")
    expect(api.post("/dispatch/suggest", raw=b"{not json"), 400)
    expect(Api(client=Client()).post("/dispatch/suggest", {"text": "路灯坏了"}), 401, "auth.required")


def test_dispatch_quality_command(world, capsys):
    call_command("dispatch_quality", month="2026-01")
    report = _lines(capsys)[0]
    assert report["month"] == "2026-01" and report["dispatches"] == 0
    assert report["category_match"] == {"numerator": 0, "denominator": 0, "value": None}
