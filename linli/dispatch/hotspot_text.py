"""What a message says and where, for the hotspots (``linli.dispatch.hotspots``).

The places a message names, folded to keys (``linli.dispatch.places``), and
its title and body as character-bigram TF-IDF rows weighted against the
starter corpus shipped with the package; the words that label an issue.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize as normalize_rows

from linli.dispatch import places
from linli.dispatch.text import normalize

TITLE_WEIGHT = 0.6
BODY = 400  # characters of a body compared

STOP_WORDS = set(
    "的 了 在 是 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 我们 他们 请 问题 反映 "
    "情况 希望 领导 相关 部门 关于 要求 能否 能 为什么 是否 如何 什么 怎么 现在 目前 已经 一直 没 多次 尽快 解决 处理 "
    "您好 谢谢 尊敬 网友 市民 投诉 建议 咨询 严重 影响 居民 群众 政府 工作 进行 导致 存在 非常 可以 还是 但是 因为 "
    "所以 这个 那个 这些 那些 以及 还有 及 与 对 将 把 被 让 给 从 向 年 月 日 号 万元 元 天 个 等 之 其 该 请求 "
    "质疑 举报 再次 强烈 呼吁 恳请 盼望 一下 事宜 有关 的话 小区 业主 管一管".split()
)
CODES = re.compile(r"[a-z]\d{0,2}\s?[省市区县]")


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    title: str = ""
    at: dt.datetime | None = None
    place: str = ""  # known place (a community); the text's own places are added to it
    area: str = ""  # the area whose items the share is counted against
    caller: str = ""
    topic: str = ""  # the demand's category (its path in the installation's tree), when known


def tokens(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [
        w
        for w in jieba.lcut(text)
        if len(w) >= 2 and w not in STOP_WORDS and not re.fullmatch(r"[\da-z]+", w)
    ]


def key_terms(
    texts: Sequence[str], background: Counter, total_docs: int, place: str, n: int = 3, share: float = 0.5
) -> list[str]:
    counts: Counter = Counter()
    for text in texts:
        counts.update(set(tokens(text)))
    scored = []
    need = max(2, int(np.ceil(share * len(texts)))) if len(texts) > 1 else 1
    n_corpus, corpus_df = background_words()
    for word, c in counts.items():
        if c < need or word in place or place.endswith(word):
            continue
        df = background.get(word, 0) + corpus_df.get(word, 0) + 1
        scored.append((c / len(texts) * np.log((total_docs + n_corpus + 1) / df), word))
    scored.sort(reverse=True)
    return [w for _, w in scored[:n]]


def title_and_body(item: Item, names: Sequence[str] = ()) -> tuple[str, str]:
    """The title (or, without one, the text's first sentence) and the start of the body.

    Placeholder codes and the proper part of place names are taken out (the
    places are compared as keys): two problems at one compound must not look
    alike because both spell the compound's name, while "ktv", "小区" or "路"
    stay as words of the problem.
    """
    title, body = normalize(item.title), normalize(item.text)
    if title and body.startswith(title):
        body = body[len(title) :]
    if not title:
        title = re.split(r"[。！？!?；;\n]", body, maxsplit=1)[0][:60]
    title, body = CODES.sub(" ", title), CODES.sub(" ", body[:BODY])
    stems = sorted({st for st in map(places.stem, names) if st}, key=len, reverse=True)
    for st in stems:
        title, body = title.replace(st, " "), body.replace(st, " ")
    return title, body


@lru_cache(maxsize=1)
def background() -> tuple[int, dict[str, int]]:
    """Document frequencies of character bigrams in the starter corpus shipped with the package.

    They steady the weights when a period holds few demands: among eight
    complaints, "搅拌" in four of them would otherwise weigh less than any
    bigram seen once. Without the file the batch alone counts.
    """
    texts = corpus_texts()
    df: Counter = Counter()
    for text in texts:
        df.update({text[i : i + 2] for i in range(len(text) - 1)})
    return len(texts), dict(df)


@lru_cache(maxsize=1)
def corpus_texts() -> tuple[str, ...]:
    try:
        from linli.dispatch.corpus import CORPUS_PATH

        with open(CORPUS_PATH, encoding="utf-8", newline="") as handle:
            return tuple(normalize(row.get("text", "")) for row in csv.DictReader(handle))
    except (ImportError, OSError):
        return ()


@lru_cache(maxsize=1)
def background_words() -> tuple[int, dict[str, int]]:
    """Word document frequencies in the starter corpus: a label names what is rare in complaints, not 噪音 or 施工."""
    df: Counter = Counter()
    texts = corpus_texts()
    for text in texts:
        df.update(set(tokens(text)))
    return len(texts), dict(df)


def weighted(texts: list[str]):
    """Sublinear tf × idf over the batch and the background, rows L2-normalised (character bigrams)."""
    counter = CountVectorizer(analyzer="char", ngram_range=(2, 2), lowercase=False)
    try:
        counts = counter.fit_transform(texts).astype(np.float64)
    except ValueError:  # nothing but one-character texts
        return sparse.csr_matrix((len(texts), 1))
    n_bg, df_bg = background()
    vocab = counter.get_feature_names_out()
    df_batch = np.asarray((counts > 0).sum(axis=0)).ravel()
    df_back = np.array([df_bg.get(term, 0) for term in vocab], dtype=np.float64)
    idf = np.log((1 + n_bg + len(texts)) / (1 + df_back + df_batch)) + 1.0
    counts.data = 1.0 + np.log(counts.data)
    weighted = counts @ sparse.diags(idf)
    return normalize_rows(weighted, norm="l2", copy=False)


def vectors(items: Sequence[Item], names: Sequence[Sequence[str]]):
    """Rows whose dot product is TITLE_WEIGHT × title cosine + the rest × body cosine (character bigrams)."""
    pairs = [title_and_body(it, ns) for it, ns in zip(items, names, strict=True)]
    titles = weighted([t for t, _ in pairs])
    bodies = weighted([b or t for t, b in pairs])
    return sparse.hstack([titles * np.sqrt(TITLE_WEIGHT), bodies * np.sqrt(1 - TITLE_WEIGHT)]).tocsr()


@dataclass
class Prepared:
    keys: list[list[str]]
    names: list[list[str]]
    merged: dict[str, str]
    # the letter of the first placeholder code (a市, k7县 …), else the known community ("@…"), else "":
    # messages from two cities, or from two communities, are not one problem at one place
    regions: np.ndarray
    areas: list[str]  # the full first code (a4区, a市 …) or the community: where a key is spread over
    vectors: object  # sparse rows (see ``vectors``)
    titled: list[set[str]]  # the keys each title names
    marks: dict[int, str] = field(default_factory=dict)  # issues joined at a landmark: first index -> its key


def prepare(items: Sequence[Item]) -> Prepared:
    names, raw_keys, in_title = [], [], []
    for it in items:
        # without a title, the first sentence names what the message is about
        titled = places.mentions(it.title or re.split(r"[。！？!?；;\n]", it.text, maxsplit=1)[0][:60])
        found = titled + places.mentions(it.text[: BODY * 2])
        names.append(found)
        in_title.append({places.place_key(n) for n in titled})
        keys = [f"@{it.place}"] if it.place else []
        for name in found:
            key = places.place_key(name)
            if key and key not in keys:
                keys.append(key)
        raw_keys.append(keys[:7])
    counts = Counter(k for ks in raw_keys for k in set(ks) if not k.startswith("@"))
    merged = places.merge_keys(counts)
    keys = [places.canonical(ks, merged) for ks in raw_keys]
    titled = [set(places.canonical(t, merged)) for t in in_title]
    regions = np.array([region(it) or (f"@{it.place}" if it.place else "") for it in items])
    areas = [area_code(it) or (f"@{it.place}" if it.place else "") for it in items]
    return Prepared(
        keys,
        names,
        merged,
        regions,
        areas,
        vectors(items, [[*ns, it.place] for it, ns in zip(items, names, strict=True)]),
        titled,
    )


def area_code(item: Item) -> str:
    found = CODES.search(normalize(item.title)) or CODES.search(normalize(item.text[:200]))
    return found.group(0).replace(" ", "") if found else ""


def region(item: Item) -> str:
    return area_code(item)[:1]
