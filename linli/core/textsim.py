"""Text similarity, written once: one folding of text, one character n-gram TF-IDF space, one cosine top-k.

Used by the dispatch classifier (its features) and the access gate's matcher
(catalogue items against a request). Both compare Chinese texts, which have
no spaces: character n-grams carry most words and need no dictionary.

``fold`` is the comparison form of a text: half-width (NFKC), Simplified
(OpenCC's character table applied as one vectorised lookup: the full OpenCC
phrase converter costs about 1.5 ms per 250 characters, the table a few
microseconds), lower case, no control characters, single spaces. Callers add
what is theirs on top (dispatch trims greetings; access keeps only letters,
digits and Chinese and cuts boilerplate words). ``core.text.clean_text`` is
not a comparison form: it cleans what is stored and shown, keeping case and
punctuation as written.

``CharTfidf`` is sublinear tf × smoothed idf, rows l2-normalised: the numbers
scikit-learn's ``TfidfVectorizer(analyzer="char", sublinear_tf=True)`` gives,
with the same vocabulary order, but a text is vectorised with numpy lookups
over its code points (building and hashing n-gram strings costs several times
more) and the space saves to plain arrays (``to_arrays``/``from_arrays``), so
a model file depends on neither pickle nor a scikit-learn version.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

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


@lru_cache(maxsize=1)
def _long_mask() -> np.ndarray:
    mask = np.zeros(sys.maxunicode + 1, dtype=bool)
    mask[[cp for cp, target in _t2s_table().items() if len(target) != 1] or []] = True
    return mask


def _half_width_simplified(text: str) -> str:
    """Half-width and Simplified in one vectorised lookup (a dict-based ``str.translate`` costs 5× more)."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = _fold_table()[points].tobytes().decode("utf-32-le", "surrogatepass")
    # the few Traditional characters whose Simplified form is longer than one character
    return folded.translate(_t2s_table()) if _long_mask()[points].any() else folded


_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def fold(text: str) -> str:
    """The comparison form: half-width, Simplified, lower case, no control characters, single spaces, trimmed."""
    # Full-width forms and Traditional characters first (one table lookup); full NFKC only for what is
    # left (①, ㎡ …): rare, and it costs more than everything else here.
    value = _half_width_simplified(text or "")
    if not unicodedata.is_normalized("NFKC", value):
        value = to_simplified(unicodedata.normalize("NFKC", value))
    value = _CONTROL.sub("", value).lower()
    return _SPACE.sub(" ", value).strip()


# --- the TF-IDF space -------------------------------------------------------------------------------------

_PAIR = 0x110000  # one past the last code point: a bigram's key is first * _PAIR + second
DENSE_SLOTS = 4096  # characters in bigrams; the dense bigram table is at most 4,096² × 4 bytes = 67 MB


def char_ngrams(text: str, ngrams: tuple[int, int] = (2, 2), breaks: str = "") -> list[str]:
    """The character n-grams of ``text`` (n in ``ngrams``, inclusive), none spanning a ``breaks`` character."""
    low, high = ngrams
    if low < 1 or high > 2 or low > high:
        raise ValueError(f"character n-grams of 1 or 2 only, not {ngrams}")
    grams: list[str] = []
    for n in range(low, high + 1):
        grams.extend(
            gram
            for gram in (text[i : i + n] for i in range(len(text) - n + 1))
            if not breaks or not any(c in breaks for c in gram)
        )
    return grams


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


@dataclass
class CharTfidf:
    """A fitted character n-gram TF-IDF space (n = 1 and/or 2).

    ``unknown_idf``: None drops n-grams the space has not seen (a classifier's features); a number keeps
    them in a text's norm at that weight, so a request that says much the catalogue does not scores lower
    against every item (the access matcher's cosine).
    """

    vocabulary: dict[str, int]
    idf: np.ndarray
    ngrams: tuple[int, int] = (2, 2)
    breaks: str = ""
    unknown_idf: float | None = None
    _lookup: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def fit(
        cls,
        texts: Iterable[str],
        *,
        ngrams: tuple[int, int] = (2, 2),
        breaks: str = "",
        keep_unknown: bool = False,
        dtype: Any = np.float32,
    ) -> CharTfidf:
        """Vocabulary in sorted order and idf = ln((1 + n) / (1 + df)) + 1, as scikit-learn computes them."""
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            df.update(set(char_ngrams(text, ngrams, breaks)))
            n += 1
        terms = sorted(df)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float64)
        return cls(
            vocabulary={t: i for i, t in enumerate(terms)},
            idf=idf.astype(dtype),
            ngrams=ngrams,
            breaks=breaks,
            unknown_idf=math.log(1 + n) + 1.0 if keep_unknown else None,
        )

    # --- saving: plain arrays and JSON-able values, no pickle ---

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        if [self.vocabulary[t] for t in terms] != list(range(len(terms))):
            raise ValueError("vocabulary ids must be 0..n-1")
        arrays = {f"{prefix}terms": np.array(terms, dtype=str), f"{prefix}idf": self.idf}
        meta = {"ngrams": list(self.ngrams), "breaks": self.breaks, "unknown_idf": self.unknown_idf}
        return arrays, meta

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str, meta: dict[str, Any]) -> CharTfidf:
        terms = [str(t) for t in arrays[f"{prefix}terms"].tolist()]
        return cls(
            vocabulary={t: i for i, t in enumerate(terms)},
            idf=np.asarray(arrays[f"{prefix}idf"]),
            ngrams=(int(meta["ngrams"][0]), int(meta["ngrams"][1])),
            breaks=str(meta.get("breaks", "")),
            unknown_idf=meta.get("unknown_idf"),
        )

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_lookup": None}

    # --- vectorising ---

    def _tables(self) -> tuple:
        """The vocabulary as arrays, built once per process.

        Unigrams: a code point -> feature id table (only when the space has unigrams). Bigrams: each
        character that starts or ends one gets a slot, and a dense (slots x slots) table gives the id;
        1,665 slots is 11 MB. Past ``DENSE_SLOTS`` slots the bigrams are sorted integer keys searched by
        bisection instead.
        """
        if self._lookup is None:
            uni = None
            pairs = []
            singles = [(g, i) for g, i in self.vocabulary.items() if len(g) == 1]
            if singles:
                uni = np.full(_PAIR, -1, dtype=np.int32)
                for gram, i in singles:
                    uni[ord(gram)] = i
            pairs = [(g, i) for g, i in self.vocabulary.items() if len(g) == 2]
            chars = sorted({c for gram, _ in pairs for c in gram})
            if len(chars) <= DENSE_SLOTS:
                slot = np.full(_PAIR, -1, dtype=np.int32)
                slot[[ord(c) for c in chars]] = np.arange(len(chars), dtype=np.int32)
                width = len(chars)
                dense = np.full(width * width, -1, dtype=np.int32)
                for gram, i in pairs:
                    dense[slot[ord(gram[0])] * width + slot[ord(gram[1])]] = i
                bigrams: tuple = ("dense", slot, dense, width)
            else:
                keyed = sorted((ord(g[0]) * _PAIR + ord(g[1]), i) for g, i in pairs)
                keys = np.array([k for k, _ in keyed], np.int64)
                bigrams = ("sorted", keys, np.array([i for _, i in keyed], np.int64))
            breaks = np.array([ord(c) for c in self.breaks], np.int64)
            self._lookup = (uni, bigrams, breaks)
        return self._lookup

    def _ids(self, points: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """Per n: (feature id per n-gram position, -1 where unknown; the n-gram keys, only when the space
        keeps unknown n-grams in the norm), positions spanning a break left out."""
        uni, bigrams, breaks = self._tables()
        low, high = self.ngrams
        keep_keys = self.unknown_idf is not None
        ok = ~np.isin(points, breaks) if len(breaks) else None
        out: list[tuple[np.ndarray, np.ndarray | None]] = []
        if low <= 1:
            ids = uni[points] if uni is not None else np.full(len(points), -1, np.int32)
            keys = points
            if ok is not None:
                ids, keys = ids[ok], keys[ok]
            out.append((ids.astype(np.int64), keys if keep_keys else None))
        if high >= 2 and len(points) > 1:
            pair_ok = ok[:-1] & ok[1:] if ok is not None else None
            if bigrams[0] == "dense":
                _, slot, dense, width = bigrams
                slots = slot[points].astype(np.int64)
                a, b = slots[:-1], slots[1:]
                both = (a >= 0) & (b >= 0)
                ids = np.full(len(a), -1, np.int64)
                ids[both] = dense[a[both] * width + b[both]]
            else:
                _, sorted_keys, key_ids = bigrams
                query = points[:-1] * _PAIR + points[1:]
                ids = np.full(len(query), -1, np.int64)
                if len(sorted_keys):
                    pos = np.minimum(np.searchsorted(sorted_keys, query), len(sorted_keys) - 1)
                    found = sorted_keys[pos] == query
                    ids[found] = key_ids[pos[found]]
            keys = (points[:-1] * _PAIR + points[1:]) if keep_keys else None
            if pair_ok is not None:
                ids = ids[pair_ok]
                keys = keys[pair_ok] if keys is not None else None
            out.append((ids, keys))
        return out

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature ids ascending, weights): the l2-normalised sublinear TF-IDF of ``text``."""
        parts = self._ids(_codes(text))
        ids = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        known = ids[ids >= 0]
        if not len(known):
            return np.zeros(0, np.int64), np.zeros(0, self.idf.dtype)
        idx, tf = np.unique(known, return_counts=True)
        values = (1.0 + np.log(tf)) * self.idf[idx]
        norm2 = float((values * values).sum())
        if self.unknown_idf is not None:
            for ids_n, keys_n in parts:
                assert keys_n is not None
                _, unknown_tf = np.unique(keys_n[ids_n < 0], return_counts=True)
                norm2 += float((((1.0 + np.log(unknown_tf)) * self.unknown_idf) ** 2).sum())
        return idx, (values / math.sqrt(norm2)).astype(self.idf.dtype)

    def matrix(self, texts: Sequence[str]):
        """The vectors of ``texts`` as a scipy CSR matrix (texts x features)."""
        from scipy.sparse import csr_matrix

        indptr, indices, data = [0], [], []
        for text in texts:
            idx, values = self.vector(text)
            indices.append(idx)
            data.append(values)
            indptr.append(indptr[-1] + len(idx))
        return csr_matrix(
            (
                np.concatenate(data) if data else np.zeros(0, self.idf.dtype),
                np.concatenate(indices) if indices else np.zeros(0, np.int64),
                np.array(indptr),
            ),
            shape=(len(texts), len(self.idf)),
        )

    def terms(self) -> list[str]:
        """Feature id -> n-gram."""
        return sorted(self.vocabulary, key=self.vocabulary.__getitem__)


DENSE_INDEX = 4_000_000  # documents x features up to which an index keeps its columns dense (32 MB)


class CosineIndex:
    """Documents in one TF-IDF space, scored against a text by cosine; ``top`` gives the best k."""

    def __init__(self, space: CharTfidf, documents: Sequence[str]):
        self.space = space
        self.rows = space.matrix(documents)
        # feature -> documents: a query reads only its own features' rows; dense while that is small
        # (a catalogue of a few hundred items), where a sparse row gather costs more than the arithmetic
        columns = self.rows.T.tocsr()
        self._columns = (
            columns.toarray() if self.rows.shape[0] * self.rows.shape[1] <= DENSE_INDEX else columns
        )

    def scores(self, text: str) -> np.ndarray:
        """Cosine of ``text`` with every document, in document order."""
        idx, values = self.space.vector(text)
        if not len(idx):
            return np.zeros(self.rows.shape[0], np.float64)
        return np.asarray(values.astype(np.float64) @ self._columns[idx]).ravel()

    def top(self, text: str, k: int | None = None) -> list[tuple[int, float]]:
        """(document index, cosine), best first; ties keep document order."""
        scores = self.scores(text)
        order = np.argsort(-scores, kind="stable")
        if k is not None:
            order = order[:k]
        return [(int(i), float(scores[i])) for i in order]

    def weights(self, row: int) -> dict[str, float]:
        """The n-grams of one document and their weights."""
        terms = self.__dict__.get("_terms") or self.__dict__.setdefault("_terms", self.space.terms())
        start, end = self.rows.indptr[row], self.rows.indptr[row + 1]
        return {
            terms[j]: float(w)
            for j, w in zip(
                self.rows.indices[start:end].tolist(), self.rows.data[start:end].tolist(), strict=True
            )
        }
