"""Simplified → Traditional Chinese for the 繁體 pages: OpenCC (s2twp, Taiwan phrasing) with a few words kept.

OpenCC's Taiwan phrasing rewrites some words of grassroots governance into
other words: 社区 (a residential community, the unit of this platform)
becomes 社群 (a social group). Those words are set aside before the
conversion and put back in their Traditional form.
"""

from __future__ import annotations

from functools import lru_cache

# Simplified word → its Traditional form, where OpenCC's phrase table would change the word itself.
KEEP = {
    "社区": "社區",  # s2twp: 社群 (a social group)
    "邻里": "鄰里",  # s2twp: 鄰裡
}
_MARK = "\ue000{}\ue001"  # private-use characters: OpenCC leaves them alone


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2twp")


def to_traditional(text: str) -> str:
    """``text`` in Traditional Chinese; the words of ``KEEP`` keep their meaning."""
    if not text:
        return text
    for i, word in enumerate(KEEP):
        # Both forms: text that is already Traditional converts to itself.
        text = text.replace(word, _MARK.format(i)).replace(KEEP[word], _MARK.format(i))
    text = _converter().convert(text)
    for i, word in enumerate(KEEP):
        text = text.replace(_MARK.format(i), KEEP[word])
    return text


def simplified_only(text: str) -> str:
    """The characters of ``text`` left in Simplified Chinese: those the 繁體 conversion would still change.

    Text that is already Traditional comes out of ``to_traditional`` unchanged
    (its phrase tables keep 准, 里, 群 where a character-by-character table
    would not), so any character it changes was left in Simplified.
    """
    converted = to_traditional(text)
    if len(converted) != len(
        text
    ):  # a phrase changed length: report every character that is not in the result
        return "".join(sorted({c for c in text if "\u4e00" <= c <= "\u9fff" and c not in converted}))
    return "".join(sorted({a for a, b in zip(text, converted, strict=True) if a != b}))
