"""Junk screening for public channels: advertising, spam and abuse are flagged for a person to review.

Nothing is dropped: a flagged demand is registered like any other, carries
``junk`` and a reason, and the dispatcher decides (mark invalid, or go on).
The rules look for what a complaint does not contain: contact lures (WeChat,
QQ, links), selling words, gibberish and insults aimed at people. Words that
complaints use every day about real trouble (打架, 拆迁, 偷, 砸, 骂) are not
signals on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from linli.dispatch.text import normalize

_CONTACT = re.compile(
    r"(?:加|\+|添加|联系)?\s*(?:微信|vx|v信|薇信|威信|wx|qq|扣扣|企鹅)\s*[:：号]?\s*[a-z0-9_\-]{5,}"
    r"|https?://|www\.[a-z0-9]|\.(?:com|cn|net|top|xyz)\b|t\.me/"
)
_SELLING = (
    "代开发票",
    "发票代开",
    "办证",
    "刷单",
    "兼职日结",
    "日赚",
    "月入过万",
    "月入上万",
    "免费领取",
    "限时优惠",
    "优惠活动",
    "低价出售",
    "贷款秒批",
    "无抵押贷款",
    "快速放款",
    "网贷",
    "代办信用卡",
    "套现",
    "彩票",
    "博彩",
    "赌场",
    "六合彩",
    "私服",
    "招商加盟",
    "加盟热线",
    "招代理",
    "诚招代理",
    "点击链接",
    "扫码",
    "包过",
    "特价",
    "促销",
    "清仓",
    "批发",
    "代孕",
    "约炮",
    "成人用品",
    "减肥药",
    "壮阳",
)
_ABUSE = (
    "傻逼",
    "傻b",
    "sb政府",
    "煞笔",
    "你妈",
    "他妈的",
    "操你",
    "草你",
    "日你",
    "狗官",
    "狗日",
    "去死",
    "全家死",
    "滚蛋",
    "畜生",
    "王八蛋",
    "废物政府",
    "垃圾政府",
    "cnm",
    "nmsl",
    "妈逼",
)
# A text that asks for something to be done is a complaint, even when it quotes an advert.
_COMPLAINT = (
    "举报",
    "投诉",
    "反映",
    "查处",
    "请求",
    "希望",
    "处理",
    "解决",
    "被骗",
    "骗子",
    "诈骗",
    "骗老人",
    "管一管",
)
_REPEAT = re.compile(r"(.)\1{7,}|(.{2,6})\2{4,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Screening:
    junk: bool
    reason: str = ""
    kind: str = ""  # advertising | spam | abuse


def screen_text(text: str, title: str = "") -> Screening:
    """Flag advertising, spam (gibberish, repetition, no content) and abuse; everything else passes."""
    value = normalize(f"{title} {text}")
    compact = value.replace(" ", "")
    sells = [w for w in _SELLING if w in compact]
    contact = _CONTACT.search(value)
    complaint = any(w in compact for w in _COMPLAINT)
    if contact and not complaint and (sells or len(compact) < 80):
        return Screening(True, f"广告：含联系方式或链接（{contact.group(0)[:20]}）", "advertising")
    if len(sells) >= (3 if complaint else 2) or (sells and not complaint and len(compact) < 40):
        return Screening(True, f"广告：{('、'.join(sells[:3]))}", "advertising")
    abuse = [w for w in _ABUSE if w in compact]
    if abuse:
        return Screening(True, f"辱骂：{abuse[0]}", "abuse")
    cjk = len(_CJK.findall(compact))
    if not compact:
        return Screening(True, "无内容", "spam")
    if _REPEAT.search(compact):
        return Screening(True, "灌水：大量重复字符", "spam")
    if cjk < 4 and len(_LATIN.findall(compact)) >= 6:
        return Screening(True, "灌水：无可读内容", "spam")
    if cjk < 2 and len(compact) < 20:
        return Screening(True, "灌水：内容过短", "spam")
    return Screening(False)
