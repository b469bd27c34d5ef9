"""Hotspots, second pass: the groups at one named landmark that are one problem become one issue.

A school gate draws parking, drop-off traffic, tricycles, vendors and their
snacks; people write each in their own words, so the first pass (one problem
in much the same words, ``linli.dispatch.hotspots``) finds several tight
groups at the school. For the people who act on it they are one issue: the
order at the school gate, settled by one joint mechanism (traffic police,
city management, the school). A residential compound is not such a place: a
mixing plant next to it and its parking spaces are two problems for two
offices, so only landmarks (a school, hospital, market, station or park)
take part.

A group is *at* a landmark when at least ``HOLD`` of its messages name it, or
name a place tied to it (a road where at least ``TIED`` of the messages naming
it name the landmark too: the school's road). Two groups at one landmark are
one issue when both are about its surroundings (at least ``HOLD`` of each
speak of its gate or surroundings right after its name: "第二实验学校南门",
"医院门口") or when they share a main category (known for demands: the
installation's own tree). A message left alone at the landmark joins an
issue there on the same terms (it makes none with another message alone).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from linli.dispatch import places
from linli.dispatch.text import normalize

LANDMARK = re.compile(
    r"(?:学校|中学|小学|幼儿园|实验学校|学院|大学|医院|卫生院|人民医院|市场|农贸市场|菜市场|车站|火车站|汽车站|公园)$"
)
GATE = r"(?:门口|校门|[东南西北]门|门前|周边|附近|周围|路口)"
GATE_SHOWN = "门口"
HOLD = 0.5
TOPIC_HOLD = 1 / 3  # a group's main categories: those this share of its messages have
TIED = 0.5
TIED_MIN = 3  # a place named this few times is not tied to anything
TOPIC_SHARE = 0.15  # a category this share of the messages is named in its label


def _main_topics(group: Sequence[int], topics: Sequence[str]) -> set[str]:
    """The categories at least ``TOPIC_HOLD`` of the group's messages have."""
    counts = Counter(topics[i] for i in group if topics[i])
    return {t for t, n in counts.items() if n >= TOPIC_HOLD * len(group)}


def ties(keys: Sequence[Sequence[str]], usable: set[str]) -> dict[str, str]:
    """Place key -> the landmark key it is tied to (a landmark is tied to itself)."""
    named: Counter = Counter()
    together: Counter = Counter()
    for ks in keys:
        present = [k for k in ks if k in usable]
        named.update(present)
        marks = [k for k in present if LANDMARK.search(k)]
        for k in present:
            for m in marks:
                if m != k:
                    together[(k, m)] += 1
    out = {k: k for k in named if LANDMARK.search(k)}
    for (k, m), n in sorted(together.items(), key=lambda x: (-x[1], x[0])):
        if k not in out and named[k] >= TIED_MIN and n >= TIED * named[k]:
            out[k] = m
    return out


def anchor(group: Sequence[int], keys: Sequence[Sequence[str]], tied: dict[str, str]) -> str:
    """The landmark the group is at ("" if none): the one most of its messages name, directly or by a tied place."""
    counts: Counter = Counter()
    for i in group:
        counts.update({tied[k] for k in keys[i] if k in tied})
    if not counts:
        return ""
    mark, n = min(counts.items(), key=lambda x: (-x[1], x[0]))
    return mark if n >= HOLD * len(group) else ""


def _at_gate(group: Sequence[int], texts: Sequence[str], written: Sequence[str]) -> bool:
    """Whether most of the group speak of the landmark's gate or surroundings ("第二实验学校南门", "医院门口")."""
    if not written:
        return False
    near = re.compile(
        f"(?:{'|'.join(map(re.escape, sorted(set(written), key=len, reverse=True)))}).{{0,3}}?{GATE}|校门"
    )
    return sum(1 for i in group if near.search(texts[i])) >= HOLD * len(group)


def join(
    groups: list[list[int]],
    keys: Sequence[Sequence[str]],
    usable: set[str],
    texts: Sequence[str],
    topics: Sequence[str],
    names: Sequence[Sequence[str]],
    key_of,
) -> tuple[list[list[int]], dict[int, str]]:
    """``groups`` with those at one landmark that are one problem joined; and landmark key by joined group's first index."""
    tied = ties(keys, usable)
    by_mark: dict[str, list[int]] = {}
    for n, g in enumerate(groups):
        if g:
            mark = anchor(g, keys, tied)
            if mark:
                by_mark.setdefault(mark, []).append(n)
    parent = list(range(len(groups)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for mark, members in by_mark.items():
        written = [nm for n in members for i in groups[n] for nm in names[i] if key_of(nm) == mark]
        gate = {n: _at_gate(groups[n], texts, written) for n in members}
        topic = {n: _main_topics(groups[n], topics) for n in members}
        # a message alone joins an issue, two make none: pairs have at least one group (not all pairs: a big
        # hospital may have thousands of lone messages)
        several = [n for n in members if len(groups[n]) > 1]
        alone = [n for n in members if len(groups[n]) == 1]
        for x, a in enumerate(several):
            for b in several[x + 1 :] + alone:
                if (gate[a] and gate[b]) or topic[a] & topic[b]:
                    parent[find(a)] = find(b)
    joined: dict[int, list[int]] = {}
    for n in range(len(groups)):
        joined.setdefault(find(n), []).extend(groups[n])
    mark_of = {find(n): m for m, ns in by_mark.items() for n in ns}
    parts = Counter(find(n) for n in range(len(groups)))
    marks = {members[0]: mark_of[root] for root, members in joined.items() if parts[root] > 1}
    return list(joined.values()), marks


def label(
    group: Sequence[int], written: Sequence[str], shown: str, texts: Sequence[str], topics: Sequence[str]
) -> tuple[str, list[str]]:
    """A joined issue's place (the landmark, with 门口 when it is about its gate) and its problems (the categories)."""
    place = shown
    if _at_gate(group, texts, written) and not place.endswith(GATE_SHOWN):
        place += GATE_SHOWN
    counts = Counter(topics[i] for i in group if topics[i])
    names = [t.rsplit("/", 1)[-1] for t, n in counts.most_common(3) if n >= TOPIC_SHARE * len(group)]
    return place, names


def name(members: Sequence, written: Sequence[str], place: str, terms: list[str]) -> tuple[str, list[str]]:
    """The place and problems shown for a joined issue (``members``: its items; ``written``: the landmark as written)."""
    shown = Counter(map(places.display_name, written)).most_common(1)
    texts = [normalize(f"{m.title} {m.text}") for m in members]
    place, named = label(
        range(len(members)), written, shown[0][0] if shown else place, texts, [m.topic for m in members]
    )
    return place, named or terms


def about_place(word: str, place: str) -> bool:
    """A word that only says where (part of the landmark's name, or its gate) does not name the problem."""
    return bool(re.fullmatch(GATE, word)) or any(word[i : i + 2] in place for i in range(len(word) - 1))
