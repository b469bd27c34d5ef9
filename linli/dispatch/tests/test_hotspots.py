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
