"""Matching explained: paraphrases of catalogue items are admitted, negative-list asks refused, the rest go to the office.

These examples are the tuning set for the thresholds in linli/access/matching.py;
bench/data/access_requests.csv is a separate, hand-labelled set for measuring.
"""

import pytest

from linli.access.matching import Matcher, normalise, shared_phrases
from linli.access.tests.factories import ITEMS

CATALOGUE = Matcher(
    [
        {
            "id": i,
            "code": c,
            "name": n,
            "kind": k,
            "keywords": kw,
            "description": d,
            "applies_to": "village" if c == "A-003" else "both",
        }
        for i, (c, n, k, kw, d) in enumerate(ITEMS, 1)
    ]
)


@pytest.mark.parametrize(
    ("title", "content", "code"),
    [
        ("低保申请初审", "受理困难群众最低生活保障申请并入户调查", "D-001"),
        ("医保参保", "动员未参保居民办理城乡居民医保缴费", "D-002"),
        ("八十岁以上老人津贴年审", "帮民政做高龄老人的津贴资格认证", "A-001"),
        ("今年征兵", "宣传征兵政策，组织适龄青年兵役登记", "A-002"),
    ],
)
def test_paraphrases_of_listed_items_are_admitted_with_the_item_cited(title, content, code):
    m = CATALOGUE.match(title=title, content=content)
    assert m.outcome == "admitted", m.explanation
    assert m.explanation["item_code"] == code
    assert m.explanation["phrases"] or m.explanation["keywords"]
    assert "准入线" in m.explanation["why"]


def test_a_request_in_traditional_characters_or_full_width_scores_as_its_simplified_form():
    simplified = CATALOGUE.match(title="八十岁以上老人津贴年审", content="帮民政做高龄老人的津贴资格认证")
    traditional = CATALOGUE.match(title="八十歲以上老人津貼年審", content="幫民政做高齡老人的津貼資格認證")
    assert (traditional.outcome, traditional.item_id) == ("admitted", simplified.item_id)
    assert traditional.score == pytest.approx(simplified.score)
    wide = CATALOGUE.match(title="ＡＢＣ小区", content="帮民政做高龄老人的津贴资格认证")
    assert wide.score == pytest.approx(
        CATALOGUE.match(title="abc小区", content="帮民政做高龄老人的津贴资格认证").score
    )


@pytest.mark.parametrize(
    ("title", "content", "code"),
    [
        ("开证明", "请社区给申请人出具一份无犯罪记录的证明", "N-001"),
        ("招商任务", "每个社区今年要引进一个招商项目", "N-002"),
        ("每天打卡", "在工作群里每日打卡并截图上报", "N-003"),
    ],
)
def test_negative_list_paraphrases_are_refused_citing_the_item(title, content, code):
    m = CATALOGUE.match(title=title, content=content)
    assert m.outcome == "refused", m.explanation
    assert m.explanation["item_code"] == code and "负面清单" in m.explanation["why"]


@pytest.mark.parametrize(
    ("title", "content"),
    [
        ("垃圾分类督导", "在投放点安排人员值守督导居民分类"),
        ("共享单车清理", "每天清理小区门口乱停的共享单车"),
        ("养犬登记", "统计辖区养犬户数量"),
    ],
)
def test_unlisted_work_goes_to_the_office_with_a_reason(title, content):
    m = CATALOGUE.match(title=title, content=content)
    assert m.outcome == "pending"
    assert m.item_id is None and m.explanation["why"]


def test_village_only_item_for_communities_is_sent_for_approval():
    m = CATALOGUE.match(title="森林防火巡查", content="林区防火巡查", target_levels={"community"})
    assert m.outcome == "pending" and m.explanation["reason"] == "scope"
    assert (
        CATALOGUE.match(title="森林防火巡查", content="林区防火巡查", target_levels={"village"}).outcome
        == "admitted"
    )


def test_normalise_drops_boilerplate_and_punctuation():
    assert normalise("关于开展，高龄津贴工作的通知！") == "||高龄津贴|的|"
    assert shared_phrases("高龄津贴认证", {"高龄": 1, "龄津": 1, "津贴": 1}) == ["高龄津贴"]


def test_empty_catalogue_sends_everything_to_the_office():
    m = Matcher([]).match(title="任何事", content="任何内容")
    assert m.outcome == "pending" and m.explanation["reason"] == "not_found"
