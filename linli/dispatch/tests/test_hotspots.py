"""Hotspots name one real problem at one place once (texts written for these tests)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from linli.dispatch.hotspots import Item, find_hotspots
from linli.dispatch.places import keys_of, merge_keys, place_key

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data" / "public-messages" / "replied.csv"


@pytest.mark.parametrize(
    "written",
    [
        "a市伊景园滨河",
        "伊景园滨河",
        "A市伊景园滨河小区",
        "伊景园滨河二期",
        "a2区伊景园滨河(一期)",
        "西地省a市伊景园滨河",
    ],
)
def test_one_compound_written_many_ways_is_one_place(written):
    assert place_key(written) == place_key("伊景园滨河")


def test_towns_streets_and_codes_before_a_compound_are_dropped_but_a_town_alone_stays():
    assert keys_of("", "A7县星沙镇泉塘街道板桥小区夜宵摊扰民")[-1] == place_key("板桥")
    assert place_key("安沙镇") == "安沙镇"
    assert place_key("景蓉华苑") == place_key("景蓉花苑")  # 华/花 written for one another


def test_a_one_character_typo_joins_the_commoner_spelling():
    counts = Counter({"伊景苑滨河": 12, "伊景苑宾河": 1, "滨河路": 5})
    assert merge_keys(counts) == {"伊景苑宾河": "伊景苑滨河"}


def _items(rows):
    start = dt.datetime(2024, 3, 1, 9)
    return [
        Item(
            id=str(i),
            title=title,
            text=f"{title}。{body}",
            at=start + dt.timedelta(days=i),
            caller=f"u{i % 5}",
        )
        for i, (title, body) in enumerate(rows)
    ]


MIXING = "搅拌站夜间施工噪音粉尘，居民无法休息"
PARKING = "车位被外来车辆占用，业主停不了车"


def test_one_problem_at_one_compound_is_one_hot_issue_whatever_the_prefix():
    rows = []
    for i in range(8):
        name = ["a市伊景园滨河", "伊景园滨河小区", "A3区伊景园滨河二期", "伊景园滨河"][i % 4]
        rows.append(
            (f"{name}旁边搅拌站扰民", f"{name}旁边的搅拌站第{i + 1}次夜间施工，噪音粉尘太大，{MIXING}")
        )
    for i in range(5):
        name = ["a市伊景园滨河", "伊景园滨河"][i % 2]
        rows.append((f"{name}停车难", f"{name}小区{PARKING}，物业不管，第{i + 1}次反映"))
    rows += [
        ("金榕小区电梯坏了", "金榕小区3栋电梯坏了半个月没人修"),
        ("k市伊景园滨河搅拌站扰民", f"k市伊景园滨河{MIXING}"),
    ]
    spots = find_hotspots(_items(rows), top=5)
    assert [(h.size, h.place) for h in spots[:2]] == [(8, "伊景园滨河"), (5, "伊景园滨河")]
    assert set(spots[0].ids) == {str(i) for i in range(8)}  # the same words in another city (k市) stay out
    assert "搅拌站" in spots[0].label and "停车" in spots[1].label
    assert len(spots[0].samples) == 3 and set(spots[0].samples) <= set(spots[0].ids)
    assert spots[0].first_at == dt.datetime(2024, 3, 1, 9) and spots[0].last_at == dt.datetime(2024, 3, 8, 9)
    assert spots[0].repeat_callers == 3 and 0 < spots[0].share < 1


def test_bench_smoke_every_labelled_issue_is_found_among_a_few_hundred_real_messages():
    if not SHARED.exists():
        pytest.skip("../shared/data/public-messages is not beside this checkout")
    spec = importlib.util.spec_from_file_location("hotspots_eval", ROOT / "bench" / "hotspots_eval.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    items, labels = bench.load_items(others=200)
    report = bench.evaluate(items, labels)
    assert len(report["issues"]) == 10
    assert report["passed"] >= 9, report["issues"]


def test_a_big_issue_told_many_ways_is_one_cluster_and_the_compounds_parking_another():
    """60 messages about one mixing plant and 40 about parking at one compound, its name written five ways."""
    import random

    rng = random.Random(1)
    names = ["a市伊景园滨河", "伊景园滨河", "伊景园滨河小区", "A市A3区伊景园滨河二期", "伊景园滨和小区"]
    mixing_titles = [
        "{n}旁边搅拌站噪音扰民",
        "{n}附近混凝土搅拌站粉尘污染",
        "投诉{n}搅拌站夜间施工",
        "关于{n}旁搅拌站的投诉",
    ]
    mixing_lines = [
        "搅拌站每天晚上十点以后还在作业，搅拌机轰鸣，罐车进出不断，",
        "混凝土搅拌站灰尘很大，阳台上全是灰，窗户都不敢开，",
        "大货车和水泥罐车半夜进出，噪音很大，老人小孩睡不好，",
        "这个搅拌站离小区不到一百米，手续是否齐全？",
        "多次打电话反映都没有结果，希望相关部门尽快处理，",
    ]
    parking_titles = ["{n}停车难", "{n}车位被占", "{n}地下车库车位只卖不租"]
    parking_lines = ["小区车位不够，外来车辆占用，", "开发商车位只卖不租，价格太高，", "物业乱收停车费，"]
    others = [
        ("a市金色家园电梯故障", "金色家园3栋电梯经常坏，困人"),
        ("a市芙蓉路路灯不亮", "芙蓉路一段路灯坏了一个月"),
    ]
    items = []
    for i in range(60):
        title = rng.choice(mixing_titles).format(n=rng.choice(names))
        items.append(Item(id=f"m{i}", title=title, text=title + "。" + "".join(rng.sample(mixing_lines, 3))))
    for i in range(40):
        title = rng.choice(parking_titles).format(n=rng.choice(names))
        items.append(Item(id=f"p{i}", title=title, text=title + "。" + "".join(rng.sample(parking_lines, 2))))
    for i in range(60):
        title, body = rng.choice(others)
        items.append(Item(id=f"o{i}", title=title, text=f"{body}，第{i}次。"))
    spots = find_hotspots(items, top=10)
    for prefix, size in (("m", 60), ("p", 40)):
        best = max(spots, key=lambda h: sum(i.startswith(prefix) for i in h.ids))
        hits = sum(i.startswith(prefix) for i in best.ids)
        assert hits >= 0.9 * size and hits == best.size, (prefix, hits, best.size)
        assert best.place == "伊景园滨河"


TRAFFIC = "交通运输/道路交通秩序/校园周边交通拥堵"
VENDORS = "城乡建设/市容环境/占道经营"


def _school_world(rng, topics: bool = True) -> list[Item]:
    """A school gate with traffic and vendor complaints in many wordings, the school's enrolment, other places."""
    gate = ["东门", "门口", "北门", "校门口"]
    traffic = [
        "明德小学{g}早上送孩子的车排到桂花路上，喇叭声不断，孩子过马路很危险",
        "桂花路明德小学{g}放学时家长把车停在斑马线上，公交车过不去",
        "明德小学{g}接送车辆乱掉头，上周两辆车刮在一起",
        "每天放学桂花路堵得动不了，明德小学{g}没有交警疏导",
        "建议明德小学{g}设即停即走车位，分年级错峰放学",
        "下雨天明德小学{g}车辆围成一圈，家长站在机动车道上等",
    ]
    vendors = [
        "明德小学{g}每天下午一群小贩卖烤肠和糖葫芦，占了人行道",
        "明德小学{g}的流动三轮车卖炸串，油烟呛人，竹签扔一地",
        "明德小学{g}摊贩卖的辣条没有生产日期，孩子吃了肚子疼",
        "桂花路明德小学{g}的水果摊把板车横在路边，城管一走又回来",
        "建议在明德小学附近划一块便民摊点，别让小贩堵在{g}",
    ]
    enrolment = [
        "明德小学今年一年级招生划片不合理，离家五百米却进不了",
        "明德小学学位已满，孩子只能去三公里外上学",
    ]
    others = [("朝阳社区", "朝阳社区三号楼楼道灯坏了两个月"), ("朝阳社区", "朝阳社区垃圾桶满了没人清")]
    items = []
    for i in range(45):
        text = rng.choice(traffic).format(g=rng.choice(gate)) + "，请尽快处理。"
        items.append(Item(id=f"t{i}", text=text, place="朝阳社区", topic=TRAFFIC if topics else ""))
    for i in range(30):
        text = rng.choice(vendors).format(g=rng.choice(gate)) + "，希望管一管。"
        items.append(Item(id=f"v{i}", text=text, place="朝阳社区", topic=VENDORS if topics else ""))
    for i in range(6):  # the school's road alone: most messages naming 桂花路 name the school too
        text = (
            rng.choice(["桂花路早上七点半堵死，校车进不来", "桂花路放学时段没人疏导，堵成一锅粥"])
            + f"，第{i}天了。"
        )
        items.append(Item(id=f"r{i}", text=text, place="朝阳社区", topic=TRAFFIC if topics else ""))
    for i in range(8):
        text = rng.choice(enrolment) + f"，第{i}次反映。"
        items.append(Item(id=f"e{i}", text=text, place="朝阳社区", topic="教育/入学招生" if topics else ""))
    for i in range(30):
        place, text = rng.choice(others)
        items.append(
            Item(id=f"o{i}", text=f"{text}，第{i}户。", place=place, topic="物业管理/其他" if topics else "")
        )
    return items


@pytest.mark.parametrize("topics", [True, False], ids=["with categories", "text only"])
def test_the_problems_at_one_school_gate_are_one_hot_issue_named_by_the_gate_and_its_problems(topics):
    import random

    items = _school_world(random.Random(3), topics=topics)
    spots = find_hotspots(items, top=10)
    gate = {it.id for it in items if it.id[0] in "tvr"}
    best = max(spots, key=lambda h: len(gate & set(h.ids)))
    assert len(gate & set(best.ids)) >= 0.8 * len(gate), [(h.label, h.size) for h in spots]
    assert not any(i.startswith(("e", "o")) for i in best.ids)  # the school's enrolment is another problem
    assert best.rank == 1 and best.place == "明德小学门口"
    if topics:  # the road's traffic joins through its category; the label names the categories
        assert sum(i.startswith("r") for i in best.ids) >= 5
        assert best.terms == ["校园周边交通拥堵", "占道经营"]


def test_a_mixing_plant_and_parking_at_one_compound_stay_two_issues_with_their_categories():
    """The second pass joins problems at a landmark (a school gate), never at a residential compound."""
    import random

    rng = random.Random(5)
    items = []
    for i in range(40):
        n = rng.choice(["伊景园滨河", "a市伊景园滨河小区", "伊景园滨河二期"])
        items.append(
            Item(
                id=f"m{i}", text=f"{n}旁边搅拌站门口罐车进出，粉尘噪音很大，第{i}次。", topic="生态环境/噪声"
            )
        )
    for i in range(30):
        n = rng.choice(["伊景园滨河", "a市伊景园滨河小区", "伊景园滨河二期"])
        items.append(
            Item(id=f"p{i}", text=f"{n}门口车位被外来车辆占用，停车难，第{i}次。", topic="物业管理/停车")
        )
    spots = find_hotspots(items, top=5)
    for prefix, size in (("m", 40), ("p", 30)):
        best = max(spots, key=lambda h: sum(i.startswith(prefix) for i in h.ids))
        assert sum(i.startswith(prefix) for i in best.ids) == best.size >= 0.8 * size
