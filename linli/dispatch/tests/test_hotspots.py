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
