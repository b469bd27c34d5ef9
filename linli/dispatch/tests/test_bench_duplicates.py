"""bench/dispatch_duplicates.py at a small size, so it cannot rot: it rebuilds the dispatch index from the
demands (in batches) and times duplicate searches and whole suggestions on them."""

from __future__ import annotations

import pytest

from linli.demands.tests import factories as df
from linli.dispatch.models import DemandSignature

pytestmark = pytest.mark.django_db

SAME_PROBLEM = [  # one caller's problem told three times, not word for word
    "金榕小区东门的路灯坏了半个月，晚上进出很黑，老人差点摔倒。",
    "金榕小区东门的路灯坏了半个月，晚上进出很黑，请尽快修好。",
    "金榕小区东门的路灯坏了半个月了，晚上进出很黑，孩子害怕。",
]
OTHERS = ["楼上邻居装修噪音从早到晚，周末也不停。", "菜市场门口垃圾堆放好几天没人清运，气味很大。"]


def test_the_index_is_rebuilt_in_batches_and_duplicates_are_found(world, capsys):
    demands = [df.registered(world, text=text) for text in SAME_PROBLEM + OTHERS]
    DemandSignature.objects.all().delete()  # the bench fills the index itself
    from bench import dispatch_duplicates as bench

    bench.fill(batch=2)
    assert sorted(DemandSignature.objects.values_list("demand_id", flat=True)) == sorted(
        d.pk for d in demands
    )
    result = bench.queries(len(demands))
    printed = capsys.readouterr().out
    assert f"{len(demands):,} demands indexed" in printed and "similar_open_demands: p50" in printed
    assert result["rows"] == len(demands) and result["queries"] == len(demands)
    assert result["suggestions"] == len(demands)
    # each of the three lamp complaints finds the other two; the other two find nothing
    assert result["mean_hits"] == pytest.approx(6 / len(demands))
