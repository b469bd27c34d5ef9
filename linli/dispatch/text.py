"""Text normalisation for dispatch: one form for classifying, comparing and naming texts.

The project's comparison form (``core.textsim.fold``: Simplified, half-width,
lower case, single spaces), and the greetings and closings that carry no
content (尊敬的领导您好 … 谢谢) trimmed.
"""

from __future__ import annotations

import re

from linli.core.textsim import fold, to_simplified

__all__ = ["cjk_count", "has_chinese", "model_text", "normalize", "to_simplified"]

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
    """Simplified, half-width, lower-case, single spaces (``core.textsim.fold``), greeting and closing trimmed."""
    value = fold(text)
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
