"""Keyword search finds what was written, by one, two or more characters, on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from linli.demands.selectors import DemandFilters, demand_list
from linli.demands.tests import factories as df


@pytest.fixture
def demands(world):
    return {
        "lamp": df.registered(world, text="小区门口路灯坏了三天，晚上很黑"),
        "title": df.registered(world, text="夜里看不见路", title="路灯不亮"),
        "address": df.registered(world, text="井盖松动有响声", address="路灯巷8号"),
        "apart": df.registered(world, text="路边的灯坏了"),  # 路 and 灯, but not 路灯
        "other": df.registered(world, text="垃圾桶满了没人清运"),
    }


def _found(world, q):
    return {d.text for d in demand_list(user=world.user("dispatcher"), filters=DemandFilters(q=q))}


def test_two_characters_match_text_title_and_address_exactly(world, demands):
    found = _found(world, "路灯")
    assert found == {demands[k].text for k in ("lamp", "title", "address")}


def test_one_three_and_more_characters_and_the_code(world, demands):
    assert _found(world, "灯") == {demands[k].text for k in ("lamp", "title", "address", "apart")}
    assert _found(world, "路灯坏") == {demands["lamp"].text}
    assert _found(world, "没人清运") == {demands["other"].text}
    assert _found(world, demands["other"].code) == {demands["other"].text}
    assert _found(world, "路灯X") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_postgresql_answers_two_characters_from_the_bigram_index(world, demands):
    # the whole city's list (no area filter to index on); a five-row table would be read whole, so plain
    # scans are switched off: what remains for the term is a bitmap scan of an index that can narrow it
    qs = demand_list(user=world.user("admin"), filters=DemandFilters(q="路灯"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "demand_search_bigrams" in plan


def test_a_keyword_list_counts_at_most_the_cap(world, demands):
    from linli.demands.views.lists import CappedPaginator

    found = demand_list(user=world.user("dispatcher"), filters=DemandFilters(q="灯"))
    small = CappedPaginator(found, 2, cap=3)
    assert (small.count, small.capped, small.num_pages) == (3, True, 2)
    roomy = CappedPaginator(found, 2, cap=10)
    assert (roomy.count, roomy.capped) == (4, False)
