"""Hotspots: one problem at one place, raised again and again, found once.

Every message names places (a compound, road, school, village …); they are
folded to one key each (``linli.dispatch.places``: prefixes, phases, look-alike
characters and one-character typos), and a known community counts as a place
too. Two messages are linked when they share a place and say much the same
about it (character-bigram TF-IDF cosine of the text with its place names
taken out, at least ``LINK``), or when they are near copies (``COPY``) wherever
they are. Linked groups are then cut by average linkage (a message joins a
group it agrees with on average, not through a chain of neighbours), with
sharing a place counting ``PLACE_BONUS`` towards agreement. Groups rank by
size, then growth, then repeat callers; each is labelled by its place and the
words that set its problem apart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from linli.dispatch import landmarks, places
from linli.dispatch.hotspot_text import BODY, CODES, Item, Prepared, key_terms, prepare, tokens
from linli.dispatch.text import normalize

LINK = 0.22  # same place, this similar: linked
COPY = 0.75  # this similar: linked wherever they are
COPY_LIMIT = 20_000  # near copies elsewhere are looked for up to this many messages
PLACE_BONUS = 0.15
CUT = 0.40  # average similarity (with the place bonus) a group keeps
MERGE = 0.35  # groups at one place whose centres are this similar are one issue
ATTACH = 0.2  # a message alone joins a group at one of its places whose centre is this similar
MIN_SIZE = 2
SPREAD = 3  # a place key found in this many cities or communities is a common noun, not a place
DENSE_LIMIT = 2500  # larger linked groups keep their links as they are (no average-linkage cut)
SAMPLES = 3


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
    samples: list[str] = field(default_factory=list)  # ids of the messages that say it best
    extra: dict = field(default_factory=dict)


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for a in range(len(self.parent)):
            out.setdefault(self.find(a), []).append(a)
        return list(out.values())


def _apart(prep: Prepared, rows, cols) -> np.ndarray:
    """Pairs whose messages are in two different cities or communities (both known, and they differ)."""
    a, b = prep.regions[rows], prep.regions[cols]
    return (a != "") & (b != "") & (a != b)


def cluster(items: Sequence[Item]) -> tuple[list[list[int]], Prepared]:
    """Indexes of ``items`` grouped into issues (groups of at least ``MIN_SIZE``), and what was computed."""
    prep = prepare(items)
    n = len(items)
    union = _Union(n)
    by_key: dict[str, list[int]] = {}
    for i, ks in enumerate(prep.keys):
        for k in ks:
            by_key.setdefault(k, []).append(i)
    # a "place" written in three or more cities, districts or communities is a common noun ("交叉路",
    # "配套幼儿园"), not a place; one compound may be half of an area's messages and still be a place
    usable = {
        k: m
        for k, m in by_key.items()
        if len(m) >= 2 and (k.startswith("@") or len({prep.areas[i] for i in m} - {""}) < SPREAD)
    }
    for members in usable.values():
        sims = (prep.vectors[members] @ prep.vectors[members].T).tocoo()
        idx = np.asarray(members)
        keep = (sims.row < sims.col) & (sims.data >= LINK)
        keep &= ~_apart(prep, idx[sims.row], idx[sims.col])
        for a, b in zip(sims.row[keep], sims.col[keep], strict=True):
            union.join(members[a], members[b])
    if n <= COPY_LIMIT:
        for start in range(0, n, 2000):
            sims = (prep.vectors[start : start + 2000] @ prep.vectors.T).tocoo()
            keep = (sims.row + start < sims.col) & (sims.data >= COPY)
            keep &= ~_apart(prep, sims.row + start, sims.col)
            for a, b in zip(sims.row[keep], sims.col[keep], strict=True):
                union.join(int(a) + start, int(b))
    column = {k: j for j, k in enumerate(usable)}
    rows = [i for i, ks in enumerate(prep.keys) for k in ks if k in column]
    cols = [column[k] for ks in prep.keys for k in ks if k in column]
    incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(1, len(column))))
    groups: list[list[int]] = []
    for comp in union.groups():
        if len(comp) < MIN_SIZE:
            groups.append(comp)
            continue
        if len(comp) > DENSE_LIMIT:
            groups.append(comp)
            continue
        groups.extend(_cut(comp, prep, incidence))
    groups = _merge(groups, prep, set(usable))
    texts = [normalize(f"{it.title} {it.text[: BODY * 2]}") for it in items]
    topics = [it.topic for it in items]
    groups, prep.marks = landmarks.join(
        groups, prep.keys, set(usable), texts, topics, prep.names, lambda nm: _key_of(nm, prep)
    )
    return [g for g in groups if len(g) >= MIN_SIZE], prep


def _centroid(group: list[int], prep: Prepared) -> np.ndarray:
    centre = np.asarray(prep.vectors[group].mean(axis=0)).ravel()
    norm = np.linalg.norm(centre)
    return centre / norm if norm else centre


def _merge(groups: list[list[int]], prep: Prepared, usable: set[str]) -> list[list[int]]:
    """Groups about one place whose centres agree (cosine ≥ ``MERGE``) become one issue.

    Average linkage keeps a group tight; a big issue told in many ways can
    come out as several tight groups at the same place. Their centres (the
    mean of their messages) say what each group is about, with the noise of
    single messages averaged out; groups at one place saying the same are one.
    """

    def place(group: list[int]) -> str:
        counts = Counter(k for i in group for k in prep.keys[i] if k in usable)
        return counts.most_common(1)[0][0] if counts else ""

    by_place: dict[str, list[list[int]]] = {}
    singles = [g for g in groups if len(g) == 1]
    for g in groups:
        if len(g) > 1:
            by_place.setdefault(place(g), []).append(g)
    for key, members in list(by_place.items()):
        if not key or len(members) == 1:
            continue
        merged = True
        while merged and len(members) > 1:
            merged = False
            centres = np.array([_centroid(g, prep) for g in members])
            sims = centres @ centres.T
            np.fill_diagonal(sims, -1.0)
            a, b = np.unravel_index(int(np.argmax(sims)), sims.shape)
            joined = members[a] + members[b]
            if (
                sims[a, b] >= MERGE
                and not _apart(prep, np.asarray(joined)[:, None], np.asarray(joined)[None, :]).any()
            ):
                members = [g for i, g in enumerate(members) if i not in (a, b)] + [joined]
                merged = True
        by_place[key] = members
    # a message left alone joins the issue at one of its places whose centre it agrees with most
    centres = {
        key: np.array([_centroid(g, prep) for g in members]) for key, members in by_place.items() if key
    }
    for (i,) in singles:
        best, best_sim = None, ATTACH
        for key in prep.keys[i]:
            if key not in centres:
                continue
            sims = np.asarray(prep.vectors[i] @ centres[key].T).ravel()
            j = int(np.argmax(sims))
            group = by_place[key][j]
            if sims[j] >= best_sim and not _apart(prep, np.asarray(group), np.full(len(group), i)).any():
                best, best_sim = group, sims[j]
        if best is not None:
            best.append(i)
    kept = {i for members in by_place.values() for g in members for i in g}
    # those still alone stay for the landmark pass (``linli.dispatch.landmarks``)
    return [g for members in by_place.values() for g in members] + [g for g in singles if g[0] not in kept]


def _cut(comp: list[int], prep: Prepared, incidence) -> list[list[int]]:
    """Average-linkage groups of one linked component (a chain of neighbours is not one issue)."""
    if len(comp) == 2:
        return [comp]
    sims = (prep.vectors[comp] @ prep.vectors[comp].T).toarray()
    # each place two messages both name (up to two: the community and the compound) counts towards agreement
    shared = np.minimum((incidence[comp] @ incidence[comp].T).toarray(), 2)
    sims = np.minimum(1.0, sims + PLACE_BONUS * shared)
    idx = np.asarray(comp)
    # two places apart count against a group (distance 2), so a message known nowhere cannot bridge them
    sims[_apart(prep, idx[:, None], idx[None, :])] = -1.0
    distance = np.clip(1.0 - sims, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    labels = fcluster(linkage(squareform(distance, checks=False), method="average"), 1.0 - CUT, "distance")
    out: dict[int, list[int]] = {}
    for idx, label in zip(comp, labels, strict=True):
        out.setdefault(int(label), []).append(idx)
    return list(out.values())


def _place_label(group: list[int], items: Sequence[Item], prep: Prepared, df: Counter) -> str:
    counts: Counter = Counter()
    for i in group:
        for k in prep.keys[i]:
            if not k.startswith("@"):
                counts[k] += 3 if k in prep.titled[i] else 1  # a title names the place the message is about
    if counts:
        # the place most of the group names, the more specific (fewer messages name it) the better
        key = min(counts, key=lambda k: (-counts[k] / np.log2(2 + df[k]), k))
        if counts[key] >= 2 * len(group) or not any(items[i].place for i in group):
            shown = Counter(
                places.display_name(nm) for i in group for nm in prep.names[i] if _key_of(nm, prep) == key
            )
            if shown:
                return shown.most_common(1)[0][0]
    known = Counter(items[i].place for i in group if items[i].place)
    return known.most_common(1)[0][0] if known else ""


def _key_of(name: str, prep: Prepared) -> str:
    key = places.place_key(name)
    return prep.merged.get(key, key)


def find_hotspots(
    items: Sequence[Item], *, top: int = 10, area_totals: dict[str, int] | None = None
) -> list[Hotspot]:
    """Group ``items`` into issues (one problem at one place) and rank them."""
    items = list(items)
    if len(items) < MIN_SIZE:
        return []
    groups, prep = cluster(items)
    if not groups:
        return []
    df = Counter(k for ks in prep.keys for k in set(ks))
    times = [it.at for it in items if it.at is not None]
    middle = min(times) + (max(times) - min(times)) / 2 if times else None
    area_counts = Counter(it.area for it in items)
    scored = []
    for g in groups:
        members = [items[i] for i in g]
        stamps = sorted(m.at for m in members if m.at is not None)
        late = sum(1 for t in stamps if middle is not None and t > middle)
        early = len(stamps) - late
        growth = late / early if early else float(late)
        callers = Counter(m.caller for m in members if m.caller)
        repeat = sum(1 for c in callers.values() if c > 1)
        scored.append((len(g), growth, repeat, g, stamps))
    scored.sort(key=lambda x: (-x[0], -x[1], -x[2], items[x[3][0]].id))
    background: Counter = Counter()
    for it in items:
        background.update(set(tokens(CODES.sub(" ", normalize(it.title or it.text[:60])))))
    out = []
    for rank, (size, growth, repeat, g, stamps) in enumerate(scored[:top], start=1):
        members = [items[i] for i in g]
        place = _place_label(g, items, prep, df)
        named = [normalize(m.title) for m in members if m.title]
        texts = named if len(named) == len(members) else [normalize(m.text[:200]) for m in members]
        texts = [CODES.sub(" ", t) for t in texts]
        terms = [t for t in key_terms(texts, background, len(items), place, n=6) if t not in place][:3]
        if g[0] in prep.marks:  # several groups at one landmark: the landmark and the categories name it
            written = [nm for i in g for nm in prep.names[i] if _key_of(nm, prep) == prep.marks[g[0]]]
            place, terms = landmarks.name(members, written, place, terms)
            if not terms:  # no categories: words a quarter of its messages use (one wording is a part of it)
                found = key_terms(texts, background, len(items), place, 6, 0.25)
                terms = [t for t in found if not landmarks.about_place(t, place)][:3]
        sims = (prep.vectors[g] @ prep.vectors[g].T).toarray().sum(axis=1)
        central = [members[i].id for i in np.argsort(-sims, kind="stable")[:SAMPLES]]
        area = members[0].area
        total = (area_totals or {}).get(area) or area_counts.get(area) or len(items)
        out.append(
            Hotspot(
                rank=rank,
                label=f"{place}：{'、'.join(terms)}" if place and terms else (place or "、".join(terms)),
                place=place,
                size=size,
                ids=[m.id for m in members],
                terms=terms,
                share=round(size / total, 4) if total else 0.0,
                growth=round(growth, 2),
                repeat_callers=repeat,
                first_at=stamps[0] if stamps else None,
                last_at=stamps[-1] if stamps else None,
                samples=central,
            )
        )
    return out
