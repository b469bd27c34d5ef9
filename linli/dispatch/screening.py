"""Junk screening for public channels: advertising, spam and abuse are flagged for a person to review.

Nothing is dropped: a flagged demand is registered like any other, carries
``junk`` and a reason, and the dispatcher decides (mark invalid, or go on).
The rules look for what a complaint does not contain: promotion of live-stream,
video, porn and gambling apps and sites (names like "XX直播", download and
install words, lists of such names or of sites), contact lures for jobs and
agents (QQ/微信/电话 with 兼职/代理), SEO stuffing (one phrase heading most of a
list of short segments), selling words, gibberish and insults aimed at people.
Text is folded to Simplified and half-width first, so Traditional and
full-width spam read the same. Words that complaints use every day about real
trouble (打架, 拆迁, 偷, 砸, 骂) are not signals on their own; repeated
punctuation, numbers, addresses and tables are never "flooding"; a complaint
that asks for something (举报, 投诉, 要求 …) may quote an advert or an insult.
Measured in bench/README.md (junk screening).
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
    "要求",
    "请政府",
    "请领导",
    "请有关",
    "请相关",
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z]")
# One Chinese word (1–6 characters) said six or more times in a row and most of the text: punctuation,
# numbers, addresses and tables repeat in real complaints and are never counted.
_FLOOD = re.compile(r"([\u4e00-\u9fff]{1,6}?)\1{5,}")

# --- promotion of apps, sites, gambling and paid "jobs" -------------------------------------------------
_APP = re.compile(r"(?:直播|视频|影院|影视|tv)(?:app|apk|软件)?")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffa-z0-9]")
# Words before 直播/视频 that make it a thing people film or watch, not an app's name.
_NOT_APP = re.compile(
    r"[的了在和是把被有等将为对与及或个段条部些]|监控|录像|现场|手机|拍摄|拍|相关|网络|新闻|教学|会议|宣传|栏目|电视|公开|上传|执法|记录|举报|发布|"
    r"抖音|快手|微信|短|长|发|看|做|搞"
)
_STRONG_ADULT = ("看片", "无码", "成人视频", "成人直播", "约炮", "裸聊", "黄片", "av", "一夜情")
_SAFE_DOMAIN = re.compile(
    r"gov\.cn|baidu\.com|qq\.com|weibo\.com|weixin|12345|people\.com|xinhuanet|sina\.com"
)
_GET = (
    "下载",
    "安装",
    "app",
    "apk",
    "官网",
    "官方版",
    "最新版",
    "破解版",
    "在线观看",
    "免费看",
    "免费观看",
    "地址",
    "网址",
)
_ADULT = (
    "无码",
    "成人",
    "福利",
    "午夜",
    "美女主播",
    "陪聊",
    "私密",
    "尺度",
    "约炮",
    "裸聊",
    "看片",
    "色情",
    "激情",
    "夜夜",
    "注册送",
    "注册即送",
    "送会员",
    "无需会员",
    "高清",
)
_GAMBLE = (
    "娱乐城",
    "真人娱乐",
    "百家乐",
    "老虎机",
    "返水",
    "投注",
    "首充",
    "赌场",
    "彩金",
    "时时彩",
    "彩票计划",
    "捕鱼",
    "棋牌",
    "葡京",
    "博彩",
    "六合彩",
    "稳赚",
    "提款",
)
_JOB = (
    "兼职",
    "代理",
    "加盟",
    "刷单",
    "日结",
    "月入",
    "躺赚",
    "赚钱",
    "推广",
    "招募",
    "一单一结",
    "在家就能",
    "带你",
)
_HANDLE = re.compile(
    r"(?:加|添加|联系|微信|威信|薇信|v信|vx|wx|qq|扣扣|电话|手机|同号|tel)\s*(?:号|同号)?\s*[:：]?\s*[a-z0-9_\-]{5,}"
)
_DOMAIN = re.compile(r"(?:https?://|www\.)[a-z0-9.\-/]+|[a-z0-9\-]+\.(?:com|cn|net|top|xyz|cc|vip|app|me)\b")
_SEP = re.compile(r"[\s|_、，,;；/]+")


@dataclass(frozen=True)
class Screening:
    junk: bool
    reason: str = ""
    kind: str = ""  # advertising | spam | abuse


def _apps(compact: str) -> list[str]:
    """Names like 蜜桃直播, 樱花视频: two to four name characters right before 直播/视频/影院/影视/tv."""
    names = []
    for match in _APP.finditer(compact):
        start = match.start()
        head = start
        while head > 0 and start - head < 4 and _NAME_CHAR.match(compact[head - 1]):
            head -= 1
        name = compact[head:start]
        if len(name) >= 2 and not _NOT_APP.search(name) and name not in names:
            names.append(name + match.group(0))
    return names


def _stuffed(value: str) -> str:
    """SEO stuffing: short segments most of which start with one phrase ("西城搬家公司 西城搬家公司电话 …")."""
    parts = [p for p in _SEP.split(value) if p]
    if len(parts) < 4 or sum(map(len, parts)) / len(parts) > 14:
        return ""
    for size in (6, 5, 4, 3):
        heads = {}
        for p in parts:
            if len(p) >= size and len(_CJK.findall(p[:size])) >= 2:
                heads[p[:size]] = heads.get(p[:size], 0) + 1
        if heads:
            head, n = max(heads.items(), key=lambda x: x[1])
            if n >= 4 and n * 3 >= len(parts) * 2:
                return head
    return ""


def _promotion(value: str, compact: str, complaint: bool) -> Screening | None:
    apps = _apps(compact)
    gets = [w for w in _GET if w in compact]
    adult = [w for w in _ADULT if w in compact]
    gamble = [w for w in _GAMBLE if w in compact]
    jobs = [w for w in _JOB if w in compact]
    handle = _HANDLE.search(compact)
    domains = [d for d in _DOMAIN.findall(value) if not _SAFE_DOMAIN.search(d)]
    strong = [w for w in _STRONG_ADULT if w in compact]
    strength = (
        (len(apps) >= 1) + (len(apps) >= 3) + bool(gets) + bool(adult) + (len(gamble) >= 2) + bool(domains)
    )
    if complaint and strength < 4:
        return None  # a complaint about such an app, site or game is a complaint
    if apps and (gets or adult or len(apps) >= 3):
        return Screening(True, f"广告：推广直播或视频应用（{'、'.join(apps[:3])}）", "advertising")
    if strong and gets:
        return Screening(True, f"广告：推广色情内容（{strong[0]}）", "advertising")
    if len(gamble) >= 2 or (gamble and (handle or domains)):
        return Screening(True, f"广告：赌博推广（{'、'.join(gamble[:3])}）", "advertising")
    if handle and jobs:
        return Screening(True, f"广告：招揽兼职或代理（{handle.group(0)[:20]}）", "advertising")
    if domains and (
        adult or gamble or len(set(domains)) >= 2 or any(w in compact for w in ("下载", "安装", "地址"))
    ):
        return Screening(True, f"广告：推广网站（{domains[0][:30]}）", "advertising")
    return None


def screen_text(text: str, title: str = "") -> Screening:
    """Flag advertising, spam (gibberish, flooding, SEO stuffing, no content) and abuse; everything else passes."""
    value = normalize(f"{title} {text}")
    compact = value.replace(" ", "")
    complaint = any(w in compact for w in _COMPLAINT)
    promoted = _promotion(value, compact, complaint)
    if promoted:
        return promoted
    sells = [w for w in _SELLING if w in compact]
    contact = _CONTACT.search(value)
    if contact and not complaint and (sells or len(compact) < 80):
        return Screening(True, f"广告：含联系方式或链接（{contact.group(0)[:20]}）", "advertising")
    if len(sells) >= (3 if complaint else 2) or (sells and not complaint and len(compact) < 40):
        return Screening(True, f"广告：{('、'.join(sells[:3]))}", "advertising")
    abuse = [w for w in _ABUSE if w in compact]
    # a long message that quotes an insult ("保安骂：*你妈的") is telling what happened; a short one is the insult
    if abuse and (len(abuse) >= 2 or (len(compact) < 80 and not complaint)):
        return Screening(True, f"辱骂：{abuse[0]}", "abuse")
    if not compact:
        return Screening(True, "无内容", "spam")
    stuffed = _stuffed(value)
    if stuffed and not complaint:
        return Screening(True, f"灌水：关键词堆砌（{stuffed}）", "spam")
    cjk = "".join(_CJK.findall(compact))
    flood = _FLOOD.search(compact)
    if flood and len(flood.group(0)) * 5 >= len(cjk) * 2:
        return Screening(True, "灌水：大量重复字符", "spam")
    if len(cjk) < 4 and len(_LATIN.findall(compact)) >= 6:
        return Screening(True, "灌水：无可读内容", "spam")
    if len(cjk) < 2 and len(compact) < 20:
        return Screening(True, "灌水：内容过短", "spam")
    return Screening(False)
