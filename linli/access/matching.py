"""Matching an assignment request against the published catalogue, explainably.

Text is normalised (``core.textsim.fold``: half-width, Simplified, lower
case; then only Chinese characters, letters and digits; boiler-plate words
of official notices removed) and cut into character bigrams. Each item is a
TF-IDF vector of its name and keywords (counted twice) and its description;
a request is the vector of its title (twice) and content. The score is the cosine, plus a small bonus for each
item keyword found verbatim in the request. Negative-list items are checked
first and refuse at a lower score than the one needed to admit, so the gate
errs towards "ask the coordination office" rather than towards "admit".

The explanation names the item, the score, the phrases the request shares
with the item (runs of shared bigrams) and why that outcome was chosen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext_noop

from linli.core.textsim import CharTfidf, CosineIndex, char_ngrams, fold

# Tuned on the examples in linli/access/tests/test_matching.py (not on bench/data/access_requests.csv).
ADMIT_AT = 0.34
REFUSE_AT = 0.30
KEYWORD_BONUS = 0.08
MAX_KEYWORD_BONUS = 0.24
SCOPE_LABEL = {
    "community": gettext_noop("社区"),
    "village": gettext_noop("村"),
    "both": gettext_noop("村和社区"),
}
# Why the gate chose its outcome, by reason. Stored in Chinese with the request (``why``); pages show
# them in the reader's language through ``why_text(explanation, translate=gettext)``.
WHY = {
    "refused": gettext_noop(
        "与负面清单事项「%(name)s」相似度 %(score)s，达到拒绝线 %(threshold)s，依清单不得派发"
    ),
    "admitted": gettext_noop("与清单事项「%(name)s」相似度 %(score)s，达到准入线 %(threshold)s"),
    "scope": gettext_noop(
        "最接近「%(name)s」（%(score)s），但该事项只适用于%(scope)s，部分派发对象不在适用范围内，转协调办审批"
    ),
    "unsure": gettext_noop(
        "最接近「%(name)s」，相似度 %(score)s 低于准入线 %(threshold)s，无法确认，转协调办审批"
    ),
    "not_found": gettext_noop("清单中没有相近的事项，转协调办审批"),
    "no_catalogue": gettext_noop("尚无生效的事项清单，转协调办审批"),
    "standard_plaque": gettext_noop("「%(plaque)s」在规范牌子清单内（%(basis)s）"),
    "plaque_not_standard": gettext_noop("「%(plaque)s」不在规范牌子清单内，挂牌须经协调办审批"),
    "outside": gettext_noop("社区登记：部门未经准入程序直接派发"),
}


def why_text(explanation: dict, translate=lambda text: text) -> str:
    """The sentence for an explanation's reason, in Chinese or, with ``translate=gettext``, the reader's language."""
    template = WHY.get(explanation.get("reason", ""))
    if template is None:
        return explanation.get("why", "")
    return translate(template) % {
        "name": explanation.get("item_name", ""),
        "score": f"{explanation.get('score', 0):.2f}",
        "threshold": f"{explanation.get('threshold', 0):.2f}",
        "scope": translate(SCOPE_LABEL.get(explanation.get("applies_to", ""), "")),
        "plaque": explanation.get("plaque", ""),
        "basis": explanation.get("basis", ""),
    }


_KEEP = re.compile(r"[\u4e00-\u9fffa-z0-9]+")
# Words every notice uses; they say nothing about which work item is meant.
BOILERPLATE = (
    "关于",
    "通知",
    "请各",
    "各社区",
    "各村",
    "社区",
    "村委会",
    "居委会",
    "做好",
    "开展",
    "工作",
    "落实",
    "组织",
    "进行",
    "相关",
    "有关",
    "要求",
    "按时",
    "报送",
    "辖区",
    "配合",
    "全面",
    "认真",
    "及时",
    "本次",
    "一下",
    "情况",
)


def normalise(text: str) -> str:
    """The shared comparison form (``core.textsim.fold``), then only Chinese, letters and digits, with
    boilerplate words cut to ``|`` (no bigram spans a cut)."""
    text = "".join(_KEEP.findall(fold(text)))
    for word in BOILERPLATE:
        text = text.replace(word, "|")
    return text


def bigrams(text: str) -> list[str]:
    return char_ngrams(text, (2, 2), breaks="|")


def split_keywords(raw: str) -> list[str]:
    return [k.strip() for k in re.split(r"[、,，;；/\s]+", raw or "") if len(k.strip()) >= 2]


@dataclass
class Entry:
    id: int
    code: str
    name: str
    kind: str
    applies_to: str
    keywords: list[str]
    vector: dict[str, float] = field(default_factory=dict)


@dataclass
class Match:
    outcome: str  # "admitted" | "refused" | "pending"
    item_id: int | None
    score: float
    explanation: dict


class Matcher:
    """The catalogue of one published version, ready to score requests.

    Items and requests are bigram TF-IDF vectors in one space fitted on the catalogue
    (``core.textsim``); a request's bigrams the catalogue never uses still count in its norm.
    """

    def __init__(self, items: Iterable[Mapping[str, Any]]):
        docs = []
        self.entries: list[Entry] = []
        for it in items:
            keywords = split_keywords(it.get("keywords", ""))
            text = " ".join([it["name"], it["name"], *keywords, *keywords, it.get("description", "")])
            docs.append(normalise(text))
            self.entries.append(
                Entry(
                    id=it["id"],
                    code=it["code"],
                    name=it["name"],
                    kind=it["kind"],
                    applies_to=it.get("applies_to", "both"),
                    keywords=keywords,
                )
            )
        self.space = CharTfidf.fit(docs, ngrams=(2, 2), breaks="|", keep_unknown=True, dtype=np.float64)
        self.index = CosineIndex(self.space, docs)
        for row, entry in enumerate(self.entries):
            entry.vector = self.index.weights(row)
        self._folded_keywords = [[fold(k) for k in e.keywords] for e in self.entries]

    def score(self, title: str, content: str) -> list[tuple[float, Entry, list[str]]]:
        cosines = self.index.scores(normalise(f"{title} {title} {content}"))
        folded = fold(f"{title} {content}")
        scored = []
        for e, keys, cos in zip(self.entries, self._folded_keywords, cosines.tolist(), strict=True):
            hits = [k for k, key in zip(e.keywords, keys, strict=True) if key in folded]
            bonus = min(MAX_KEYWORD_BONUS, KEYWORD_BONUS * len(hits))
            scored.append((min(1.0, cos + bonus), e, hits))
        scored.sort(key=lambda t: -t[0])
        return scored

    def match(self, *, title: str, content: str, target_levels: set[str] | None = None) -> Match:
        scored = self.score(title, content)
        negatives = [s for s in scored if s[1].kind == "negative"]
        positives = [s for s in scored if s[1].kind != "negative"]
        text = normalise(f"{title} {content}")
        if negatives and negatives[0][0] >= REFUSE_AT:
            s, e, hits = negatives[0]
            return Match("refused", e.id, s, self._explain(e, s, hits, text, "refused", REFUSE_AT))
        if positives and positives[0][0] >= ADMIT_AT:
            s, e, hits = positives[0]
            levels = target_levels or set()
            if e.applies_to != "both" and levels - {e.applies_to}:
                return Match("pending", e.id, s, self._explain(e, s, hits, text, "scope", ADMIT_AT))
            return Match("admitted", e.id, s, self._explain(e, s, hits, text, "admitted", ADMIT_AT))
        if positives and positives[0][0] > 0:
            s, e, hits = positives[0]
            return Match("pending", None, s, self._explain(e, s, hits, text, "unsure", ADMIT_AT))
        return Match("pending", None, 0.0, {"reason": "not_found", "why": why_text({"reason": "not_found"})})

    def _explain(self, e: Entry, s: float, hits: list[str], text: str, reason: str, threshold: float) -> dict:
        found = {
            "reason": reason,
            "item_code": e.code,
            "item_name": e.name,
            "item_kind": e.kind,
            "applies_to": e.applies_to,
            "score": round(s, 3),
            "threshold": threshold,
            "keywords": hits,
            "phrases": shared_phrases(text, e.vector),
        }
        return {**found, "why": why_text(found)}


def shared_phrases(text: str, vector: dict[str, float], limit: int = 6) -> list[str]:
    """Runs of consecutive bigrams of the request that the item also has, longest first."""
    runs: list[str] = []
    for part in text.split("|"):
        current = ""
        for i in range(len(part) - 1):
            if part[i : i + 2] in vector:
                current = current + part[i + 1] if current else part[i : i + 2]
            elif current:
                runs.append(current)
                current = ""
        if current:
            runs.append(current)
    seen: list[str] = []
    for r in sorted(runs, key=len, reverse=True):
        if r not in seen:
            seen.append(r)
    return seen[:limit]
