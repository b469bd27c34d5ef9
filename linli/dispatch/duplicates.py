"""Finding open demands about the same issue at the same place: MinHash over character bigrams.

A text's signature is 64 MinHash values (16 bits each) of its normalised
character bigrams; the share of equal values estimates the Jaccard similarity
of the two bigram sets. Search reads only the dispatch index
(``DemandSignature``): open demands registered inside the window in the same
community, plus those in the other communities of the same street that the
classifier put under the same top-level topic (a stricter threshold applies
there). Two indexed range scans and one vector comparison: well under 20 ms
with a million stored demands (bench/README.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

from linli.dispatch.text import normalize

PERMUTATIONS = 64
SAME_PLACE_THRESHOLD = 0.3
NEARBY_THRESHOLD = 0.5
WINDOW_DAYS = 30
MAX_CANDIDATES = 5000

_rng = np.random.default_rng(20261127)
_A = (_rng.integers(1, 2**63 - 1, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)).astype(np.uint64)
_B = _rng.integers(0, 2**63 - 1, PERMUTATIONS, dtype=np.uint64).astype(np.uint64)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@functools.lru_cache(maxsize=256)  # a registration hashes and min-hashes the same text
def comparable(text: str) -> str:
    """Normalised, without spaces and punctuation: what two copies of one complaint share."""
    return _NOISE.sub("", normalize(text))


def text_hash(text: str) -> str:
    return hashlib.sha1(comparable(text).encode("utf-8")).hexdigest()


def minhash(text: str) -> bytes:
    value = comparable(text)
    grams = {value[i : i + 2] for i in range(len(value) - 1)} or {value or " "}
    x = np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))
    with np.errstate(over="ignore"):
        hashed = (x[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return (hashed.min(axis=0) & np.uint64(0xFFFF)).astype("<u2").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    return float((np.frombuffer(a, "<u2") == np.frombuffer(b, "<u2")).mean())


def similarities(query: bytes, signatures: list[bytes]) -> np.ndarray:
    if not signatures:
        return np.zeros(0)
    matrix = np.frombuffer(b"".join(signatures), dtype="<u2").reshape(len(signatures), PERMUTATIONS)
    return (matrix == np.frombuffer(query, "<u2")[None, :]).mean(axis=1)


@dataclass(frozen=True)
class Similar:
    demand_id: int
    code: str
    excerpt: str
    similarity: float
    same_community: bool


def excerpt(text: str, length: int = 60) -> str:
    value = normalize(text)
    return value if len(value) <= length else value[: length - 1] + "…"


def since(now: dt.datetime, days: int = WINDOW_DAYS) -> dt.datetime:
    return now - dt.timedelta(days=days)
