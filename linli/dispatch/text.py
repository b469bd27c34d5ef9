"""Text normalisation for dispatch: one form for classifying, comparing and naming texts.

Traditional characters become Simplified (OpenCC's own character table, applied
as one ``str.translate``: the full OpenCC phrase converter is about 1.5 ms per
250 characters, the table a few microseconds), full-width forms become
half-width (NFKC), whitespace collapses, and the greetings and closings that
carry no content (尊敬的领导您好 … 谢谢) are trimmed.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

_OPENCC_TABLE = "TSCharacters.txt"


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    table: dict[int, str] = {}
    try:
        import opencc  # opencc-python-reimplemented ships OpenCC's dictionaries

        path = Path(opencc.__file__).parent / "dictionary" / _OPENCC_TABLE
        lines = path.read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):  # pragma: no cover - the dependency is declared
        return table
    for line in lines:
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and target and target != source:
            table[ord(source)] = target
    return table


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    return frozenset(chr(cp) for cp in _t2s_table())


def to_simplified(text: str) -> str:
    if _traditional_chars().isdisjoint(text):  # most texts: one C-level scan, no copy
        return text
    return text.translate(_t2s_table())


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """Code point -> code point: full-width ASCII forms and the ideographic space to half-width, and
    Traditional characters to Simplified (those with a one-character Simplified form). 4.4 MB, once."""
    table = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    table[0xFF01:0xFF5F] -= 0xFEE0
    table[0x3000] = 0x20
    for cp, target in _t2s_table().items():
        if len(target) == 1:
            table[cp] = ord(target)
    return table


def _fold(text: str) -> str:
    """Half-width and Simplified in one vectorised lookup (a dict-based ``str.translate`` costs 5× more)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = _fold_table()[points].tobytes().decode("utf-32-le", "surrogatepass")
    # the few Traditional characters whose Simplified form is longer than one character
    return folded.translate(_t2s_table()) if _long_mask()[points].any() else folded


@lru_cache(maxsize=1)
def _long_mask() -> np.ndarray:
    mask = np.zeros(sys.maxunicode + 1, dtype=bool)
    mask[[cp for cp, target in _t2s_table().items() if len(target) != 1] or []] = True
    return mask


_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_GREETING = re.compile(
    r"^(?:(?:尊敬的|敬爱的|亲爱的)?(?:各位)?(?:[\w]{0,8}?(?:领导|书记|市长|县长|区长|镇长|局长|主任|同志|政府|部门|工作人员))(?:们)?"
    r"\s*[，,:：!！]?\s*)?(?:(?:您|你)(?:们)?好\s*[，,:：!！。.]?\s*)?"
)
_CLOSING = re.compile(
    r"(?:[，,。.!！\s]*(?:此致敬礼|此致|敬礼|谢谢(?:您|你|领导|你们|您们)?|感谢(?:您|你|领导|你们|您们)?(?:的关注|的帮助|的支持)?"
    r"|万分感谢|非常感谢|麻烦了|辛苦了)[！!。.，,\s]*)+$"
)
_HOTLINE_LEAD = re.compile(r"^(?:市民|来电人|来电|网友|群众|居民)(?:来电)?(?:反映|反应|称|诉求)[:：，,]?")
_CODE = re.compile(r"[a-z]+\d*")
_DIGITS = re.compile(r"\d+")


def normalize(text: str) -> str:
    """Simplified, half-width, lower-case, single spaces, greeting and closing trimmed."""
    # Full-width forms and Traditional characters first (one table lookup); full NFKC only for what is
    # left (①, ㎡ …): rare, and it costs more than everything else here.
    value = _fold(text or "")
    if not unicodedata.is_normalized("NFKC", value):
        value = to_simplified(unicodedata.normalize("NFKC", value))
    value = _CONTROL.sub("", value).lower()
    value = _SPACE.sub(" ", value).strip()
    value = _GREETING.sub("", value, count=1)
    value = _HOTLINE_LEAD.sub("", value, count=1)
    # Closings sit at the end: matching only the tail keeps a 5,000-character text from costing a scan per position.
    head, tail = value[:-40], value[-40:]
    return (head + _CLOSING.sub("", tail)).strip()


def model_text(title: str, body: str, body_chars: int | None = None) -> str:
    """The text a model reads: the title twice (it names the problem), then the body.

    Anonymised or coded place names (A5区, E市) and numbers are folded, so a
    model learns the problem rather than the house number. ``body_chars`` keeps
    only the start of the (normalised) body: the problem is named there, the
    rest of a long letter is mostly circumstance.
    """
    title, body = normalize(title), normalize(body)
    if title and body.startswith(title):
        body = body[len(title) :]
    if body_chars is not None:
        body = body[:body_chars]
    joined = f"{title}。{title}。{body}" if title else body
    return _DIGITS.sub("0", _CODE.sub("a", joined))


_CJK = re.compile(r"[\u4e00-\u9fff]")


_TWO_CJK = re.compile(r"[\u4e00-\u9fff].*?[\u4e00-\u9fff]", re.S)


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def has_chinese(text: str) -> bool:
    """At least two Chinese characters: the least a demand the classifier can read has."""
    return _TWO_CJK.search(text) is not None
