"""Junk screening catches promotion and leaves complaints alone (every line written for these tests)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from linli.dispatch.screening import screen_text

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data" / "public-messages"


@pytest.mark.parametrize(
    "text",
    [
        "石榴直播app下载安装",
        "海棠直播APP下載安裝，主播在線陪聊",  # Traditional
        "ｂａｎａｎａ直播ａｐｐ下载",  # full-width
        "荔枝视频 枇杷视频 杨梅视频 在线观看",
        "山竹直播、龙眼直播、菠萝直播",
        "深夜看片神器，点击下载",
        "金沙娱乐城注册送彩金，百家乐天天返水",
        "足球投注首充翻倍，加QQ 55667788",
        "宝妈兼职日结，加微信 mama2024 了解",
        "诚招代理，电话 13700001234，躺赚不是梦",
        "最新地址 www.sample-vid.top 备用 vid2.sample.xyz",
        "南城开锁 南城开锁电话 南城开锁公司 南城开锁多少钱 南城开锁24小时",
        "哈哈哈哈哈哈哈哈哈哈",
    ],
)
def test_promotion_and_flooding_are_flagged(text):
    result = screen_text(text)
    assert result.junk and result.reason


@pytest.mark.parametrize(
    "text",
    [
        "小区噪音太大了！！！！！！！！晚上根本睡不着？？？？？？",
        "楼下烧烤店每天营业到凌晨3点，3点，3点！油烟直接进我家，1栋2单元301、302、401都受影响",
        "地址：东湖路88号88栋8单元808室。电费：1月 120元；2月 120元；3月 120元；4月 120元；5月 120元；6月 120元",
        "| 月份 | 水费 | 电费 |\n| 1 | 30 | 120 |\n| 2 | 30 | 120 |\n| 3 | 30 | 120 |\n| 4 | 30 | 120 |",
        "举报：楼下有人在家开直播，天天唱到半夜，还在群里推广什么花园直播app下载，请查处",
        "孩子在学校被要求下载某某学习app才能交作业，家长负担重，希望教育局处理",
        "物业把监控视频删了，我的电动车被偷，派出所说没有录像视频没法查，请求解决",
        "社区网格员加我微信说要登记信息，请问这是真的吗？我的手机号13800001111",
        "保安当众骂人，说你妈的滚开，我要求医院处理这个保安，道歉，并加强管理，否则我会一直反映下去",
        "请政府取消证明“你妈是你妈”这种奇葩证明，老百姓办事太难了，跑了五趟还办不下来，请领导关注",
    ],
)
def test_complaints_with_repetition_numbers_tables_and_quoted_words_are_not_junk(text):
    assert screen_text(text).junk is False, screen_text(text).reason


def test_bench_smoke_spam_caught_and_a_few_hundred_real_messages_left_alone():
    if not (SHARED / "replied.csv").exists():
        pytest.skip("../shared/data/public-messages is not beside this checkout")
    spec = importlib.util.spec_from_file_location("junk_eval", ROOT / "bench" / "junk_eval.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    report = bench.evaluate(real_limit=300)
    assert report["spam_flagged"] >= 0.9, report["missed"]
    assert report["real_flagged"] <= 0.01, report["flagged"]
