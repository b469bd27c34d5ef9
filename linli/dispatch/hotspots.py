"""Hotspots: the same problem at the same place, raised again and again.

Items are grouped by place first (a community, or for free text the most
specific place the text names: a compound, road, school, village …), then
within a place by text similarity (character-bigram TF-IDF cosine, linked
when at least ``LINK_THRESHOLD``; a group is the connected component). Groups
rank by size, then growth (the second half of the window against the first),
then repeat callers. Each is labelled by its place and the key terms that
set it apart from the rest of the data.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from linli.dispatch.text import normalize

LINK_THRESHOLD = 0.3
MIN_SIZE = 2

_PLACE_SUFFIX = (
    "小区|花园|花苑|华苑|家园|公寓|大厦|广场|新城|新村|山庄|雅苑|名苑|苑|村|镇|乡|街道|社区|大道|路|街|巷"
    "|中学|小学|幼儿园|学校|学院|大学|医院|卫生院|市场|公园|工业园|园区|车站|码头|景区|水库|河|湖|工地|厂|桥|明珠|华庭|公馆"
)
_PLACE = re.compile(rf"([a-z]\d*[市县区])?([\u4e00-\u9fff]{{1,8}}?(?:{_PLACE_SUFFIX}))")
_CUT = re.compile(r".*[的在和对于请将把从到是了与及向给被让有无为因关反映投诉问题建议咨询希望要求买卖现该我]")
_GENERIC_PLACES = {
    "小区",
    "村",
    "镇",
    "乡",
    "路",
    "街",
    "学校",
    "医院",
    "市场",
    "公园",
    "社区",
    "街道",
    "工地",
    "厂",
    "河",
    "湖",
    "农村",
    "本村",
    "我村",
    "本小区",
    "我们小区",
    "城",
    "中学",
    "小学",
    "大学",
    "学院",
    "幼儿园",
    "公寓",
    "马路",
    "道路",
    "公路",
    "大街",
    "新村",
    "政府",
    "乡镇",
    "城乡",
    "全市",
    "全县",
    "民营幼儿园",
}
_STOP = set(
    "的 了 在 是 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 我们 他们 请 问题 反映 "
    "情况 希望 领导 相关 部门 关于 要求 能否 能 为什么 是否 如何 什么 怎么 现在 目前 已经 一直 没 多次 尽快 解决 处理 "
    "您好 谢谢 尊敬 网友 市民 投诉 建议 咨询 严重 影响 居民 群众 政府 工作 进行 导致 存在 非常 可以 还是 但是 因为 "
    "所以 这个 那个 这些 那些 以及 还有 及 与 对 将 把 被 让 给 从 向 年 月 日 号 万元 元 天 个 等 之 其 该".split()
)


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    title: str = ""
    at: dt.datetime | None = None
    place: str = ""  # known place (a community); empty: taken from the text
    area: str = ""  # the area whose demands the share is counted against
    caller: str = ""


@dataclass
class Hotspot:
    rank: int
    label: str
    place: str
    size: int
    ids: list[str]
    terms: list[str]
    share: float  # of the area's items in the window
    growth: float  # items in the later half of the window / items in the earlier half (∞ → size)
    repeat_callers: int
    first_at: dt.datetime | None = None
    last_at: dt.datetime | None = None
    extra: dict = field(default_factory=dict)


def place_of(text: str, title: str = "") -> str:
    """The first specific place the title names, else the body; with its district code if written before it."""
    return _place_in(title) or _place_in(text) if title else _place_in(text)


def _place_in(text: str) -> str:
    value = normalize(text)
    for match in _PLACE.finditer(value):
        prefix, name = match.group(1) or "", match.group(2)
        name = _CUT.sub("", name[:-1]) + name[-1] if len(name) > 1 else name
        tail = name
        if tail in _GENERIC_PLACES or len(tail) < 2:
            continue
        return f"{prefix}{tail}"
    return ""


def _tokens(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [
        w for w in jieba.lcut(text) if len(w) >= 2 and w not in _STOP and not re.fullmatch(r"[\da-z]+", w)
    ]


def _key_terms(
    texts: Sequence[str], background: Counter, total_docs: int, place: str, n: int = 3
) -> list[str]:
    counts: Counter = Counter()
    for text in texts:
        counts.update(set(_tokens(text)))
    scored = []
    need = max(2, (len(texts) + 1) // 2) if len(texts) > 1 else 1
    for word, c in counts.items():
        if c < need or word in place or place.endswith(word):
            continue
        df = background.get(word, 0) + 1
        scored.append((c / len(texts) * np.log((total_docs + 1) / df), word))
    scored.sort(reverse=True)
    return [w for _, w in scored[:n]]


def _components(linked: np.ndarray) -> list[list[int]]:
    """Connected components of a boolean adjacency matrix (union-find)."""
    parent = list(range(len(linked)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a in range(len(linked)):
        for b in np.nonzero(linked[a, a + 1 :])[0]:
            parent[find(a)] = find(a + 1 + int(b))
    out: dict[int, list[int]] = {}
    for a in range(len(linked)):
        out.setdefault(find(a), []).append(a)
    return list(out.values())


def find_hotspots(
    items: Sequence[Item], *, top: int = 10, area_totals: dict[str, int] | None = None
) -> list[Hotspot]:
    """Group ``items`` into issues (place + topic) and rank them."""
    rows = [(it, it.place or place_of(it.text, it.title)) for it in items]
    rows = [(it, p) for it, p in rows if p]
    if not rows:
        return []
    texts = [normalize(it.text) for it, _ in rows]
    vectors = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True).fit_transform(texts)
    by_place: dict[str, list[int]] = {}
    for i, (_, place) in enumerate(rows):
        by_place.setdefault(place, []).append(i)
    groups: list[list[int]] = []
    for members in by_place.values():
        if len(members) < MIN_SIZE:
            continue
        sims = (vectors[members] @ vectors[members].T).toarray()
        groups.extend(
            [members[i] for i in c] for c in _components(sims >= LINK_THRESHOLD) if len(c) >= MIN_SIZE
        )
    if not groups:
        return []
    background: Counter = Counter()
    for text in texts:
        background.update(set(_tokens(text)))
    times = [it.at for it, _ in rows if it.at is not None]
    middle = min(times) + (max(times) - min(times)) / 2 if times else None
    area_counts = Counter(it.area for it, _ in rows)
    scored = []
    for g in groups:
        members = [rows[i][0] for i in g]
        place = rows[g[0]][1]
        stamps = sorted(m.at for m in members if m.at is not None)
        late = sum(1 for t in stamps if middle is not None and t > middle)
        early = len(stamps) - late
        growth = late / early if early else float(late)
        callers = Counter(m.caller for m in members if m.caller)
        repeat = sum(1 for c in callers.values() if c > 1)
        scored.append((len(g), growth, repeat, g, place, members, stamps))
    scored.sort(key=lambda x: (-x[0], -x[1], -x[2], x[4]))
    out = []
    for rank, (size, growth, repeat, g, place, members, stamps) in enumerate(scored[:top], start=1):
        # Titles name the problem; bodies tell the story (and their rare words make poor labels).
        named = [normalize(rows[i][0].title) for i in g if rows[i][0].title]
        terms = _key_terms(
            named if len(named) == len(g) else [texts[i] for i in g], background, len(texts), place
        )
        area = members[0].area
        total = (area_totals or {}).get(area) or area_counts.get(area) or len(rows)
        out.append(
            Hotspot(
                rank=rank,
                label=f"{place}：{'、'.join(terms)}" if terms else place,
                place=place,
                size=size,
                ids=[m.id for m in members],
                terms=terms,
                share=round(size / total, 4) if total else 0.0,
                growth=round(growth, 2),
                repeat_callers=repeat,
                first_at=stamps[0] if stamps else None,
                last_at=stamps[-1] if stamps else None,
            )
        )
    return out
