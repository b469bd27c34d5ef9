"""The category classifier: character n-gram TF-IDF and calibrated linear SVMs.

Why characters and not words: Chinese has no spaces, and a word segmenter
(jieba) costs about 1 ms per 200 characters, which alone would break the
budget of 2,000 classifications per second on one core. Character bigrams
carry most words and need no dictionary. Single characters are left out and
only the first ``BODY_CHARS`` characters of the body are read (the title,
twice, and the opening name the problem; the rest of a long letter is
circumstance that pulls towards other classes): on the public messages' CV
that took accuracy from 0.872 to 0.906 (6 splits, same corpus), and a model five times
smaller and faster. The rest of the gain over the evaluation's baseline comes
from the data (the project's own starter corpus, the deployment's finished
demands, the dispatchers' corrections), the weighted title and the
normalisation.

The features are the project's one text-similarity engine (``core.textsim.CharTfidf``:
the numbers scikit-learn's character TF-IDF gives, vectorised with numpy lookups).
Two classifiers share them: the top level (always answered) and
the full path (answered only where the training data has at least
``MIN_PATH_SAMPLES`` examples of a path and the model agrees with the top
level). Probabilities come from ``CalibratedClassifierCV`` (sigmoid). Below
``threshold`` the model abstains.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from linli.core.textsim import CharTfidf
from linli.dispatch.text import has_chinese, model_text

DEFAULT_THRESHOLD = 0.45
MIN_PATH_SAMPLES = 3
MIN_KNOWN_FEATURES = 4  # fewer known n-grams than this: nothing to go on, abstain
SVM_C = 1.0
# Character bigrams only, the body cut to its first 250 characters (see bench/README.md, "Issue 12, accuracy"):
# on the public messages' CV, 0.872 -> 0.897 (mean of 3 splits) against 1–2-grams on whole bodies.
NGRAMS = (2, 2)
BODY_CHARS = 250


@dataclass(frozen=True)
class Sample:
    """One training example: a text, the category path that was final for it, and its units."""

    text: str
    path: str
    title: str = ""
    weight: float = 1.0
    lead_unit_id: int | None = None
    assisting_unit_ids: tuple[int, ...] = ()
    source: str = "corpus"


@dataclass(frozen=True)
class Prediction:
    level1: str
    path: str
    confidence: float
    top3: tuple[tuple[str, float], ...]
    abstained: bool
    # the most likely path under ``level1`` however unsure: for finding a unit when ``path`` stops short
    likeliest_path: str = ""


@dataclass
class Linear:
    """A linear scorer over the shared features: one row of weights per class, softmax at a fitted temperature.

    Weights are plain numpy arrays, so a saved model does not depend on the
    scikit-learn version and scoring one text skips scikit-learn's input checks
    (which cost more than the arithmetic).
    """

    classes: list[str]
    coef: np.ndarray  # (features, classes), float32
    bias: np.ndarray
    temperature: float

    def from_margin_rows(self, margins: np.ndarray) -> np.ndarray:
        """Probabilities from a matrix of margins, one text per row."""
        margins = margins + self.bias
        if len(self.classes) == 2 and margins.shape[-1] == 1:
            margins = np.concatenate([-margins, margins], axis=-1)
        return _softmax(margins / self.temperature)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class DispatchModel:
    features: CharTfidf
    top: Linear | None
    paths: Linear | None
    classes: list[str]
    threshold: float = DEFAULT_THRESHOLD
    # (category path, lead unit id) -> {assisting unit id: times}, plus "_n" for the demands counted
    co_assist: dict[tuple[str, int], dict] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    # the body characters the model was trained on (None: whole bodies, the models saved before issue 12's cut)
    body_chars: int | None = None

    def _joint(self) -> tuple[np.ndarray | None, int]:
        cached = self.__dict__.get("_joint_cache")
        if cached is None:
            parts = [m.coef for m in (self.top, self.paths) if m is not None]
            joint = np.ascontiguousarray(np.hstack(parts)) if parts else None
            cached = (joint, self.top.coef.shape[1] if self.top is not None else 0)
            self.__dict__["_joint_cache"] = cached
        return cached

    def predict(self, items: Sequence[tuple[str, str]]) -> list[Prediction]:
        """Predictions for ``(title, body)`` pairs, in order."""
        texts = [model_text(t, b, self.body_chars) for t, b in items]
        if not texts:
            return []
        # Features one text at a time (a sparse matrix for a batch costs more than it saves), one gather
        # of the weight rows for both scorers; then the softmax and the ranking for the whole batch at once.
        joint, split = self._joint()
        if joint is None or self.top is None:  # one class only: nothing to choose
            label = self.classes[0] if self.classes else ""
            return [Prediction(label, label, 1.0, ((label, 1.0),), False) for _ in texts]
        known, rows = [], []
        for text in texts:
            idx, values = self.features.vector(text)
            known.append(len(idx))
            rows.append(values @ joint[idx])
        margins = np.vstack(rows)
        probs = self.top.from_margin_rows(margins[:, :split])
        top_order = np.argsort(-probs, axis=1)[:, :3].tolist()
        top_probs = np.take_along_axis(probs, np.array(top_order), axis=1).astype(np.float64).tolist()
        path_probs = group_probs = None
        if self.paths is not None:
            path_probs = self.paths.from_margin_rows(margins[:, split:])
            groups, membership, under = self._groups()
            group_probs = path_probs @ membership
        classes, out = self.top.classes, []
        for i, text in enumerate(texts):
            top3 = tuple((classes[j], round(p, 4)) for j, p in zip(top_order[i], top_probs[i], strict=True))
            level1, confidence = top3[0]
            abstained = confidence < self.threshold or known[i] < MIN_KNOWN_FEATURES or not has_chinese(text)
            path = likeliest = level1
            if path_probs is not None and level1 in under:
                path, likeliest = self._below(level1, path_probs[i], groups, group_probs[i], under[level1])
            out.append(Prediction(level1, path, confidence, top3, abstained, likeliest))
        return out

    def _groups(self) -> tuple[list[str], np.ndarray, dict]:
        """The second-level prefixes of the path classes, a (paths x prefixes) 0/1 matrix summing into them,
        and for each top level the indices of its paths and of its prefixes."""
        cached = self.__dict__.get("_groups_cache")
        if cached is None:
            groups = sorted({"/".join(p.split("/")[:2]) for p in self.paths.classes if "/" in p})
            membership = np.zeros((len(self.paths.classes), len(groups)), np.float32)
            under: dict[str, tuple[np.ndarray, np.ndarray]] = {}
            for j, p in enumerate(self.paths.classes):
                if "/" in p:
                    membership[j, groups.index("/".join(p.split("/")[:2]))] = 1.0
            for top in {p.split("/")[0] for p in self.paths.classes if "/" in p}:
                prefix = top + "/"
                under[top] = (
                    np.array([j for j, p in enumerate(self.paths.classes) if p.startswith(prefix)]),
                    np.array([g for g, name in enumerate(groups) if name.startswith(prefix)]),
                )
            cached = (groups, membership, under)
            self.__dict__["_groups_cache"] = cached
        return cached

    def _below(self, level1, probs, groups, group_probs, indices) -> tuple[str, str]:
        """(the deepest path under ``level1`` holding at least ``threshold``: a path, else a second-level
        branch by the sum of its paths, else ``level1``; the likeliest path under ``level1`` however unsure)."""
        paths, branches = indices
        best = int(paths[probs[paths].argmax()])
        likeliest = self.paths.classes[best]
        if probs[best] >= self.threshold:
            return likeliest, likeliest
        g = int(branches[group_probs[branches].argmax()])
        return (groups[g] if group_probs[g] >= self.threshold else level1), likeliest

    def predict_one(self, title: str, body: str) -> Prediction:
        return self.predict([(title, body)])[0]

    def assisting_for(self, path: str, lead_unit_id: int | None, *, limit: int = 3) -> list[int]:
        """Units co-assigned with this lead unit on at least a fifth (and twice) of past demands of this path.

        Falls back from the path to its ancestors when the path has no history.
        """
        if lead_unit_id is None:
            return []
        parts = path.split("/")
        for depth in range(len(parts), 0, -1):
            stats = self.co_assist.get(("/".join(parts[:depth]), lead_unit_id))
            if stats:
                n = stats["_n"]
                ranked = sorted(
                    ((u, c) for u, c in stats.items() if u != "_n" and c >= 2 and c / n >= 0.2),
                    key=lambda x: (-x[1], x[0]),
                )
                return [u for u, _ in ranked[:limit]]
        return []


TEMPERATURES = np.geomspace(0.05, 5.0, 40)


def _linear(x, y, weights) -> Linear | None:
    """A linear SVM on all rows, its temperature fitted on 3-fold held-out margins (minimum log-loss)."""
    labels = np.asarray(y, dtype=object)
    counts = Counter(y)
    if len(counts) < 2:
        return None
    svc = LinearSVC(C=SVM_C).fit(x, labels, sample_weight=weights)
    classes = [str(c) for c in svc.classes_]
    # The temperature is fitted on the classes with at least three examples (a class seen once or twice
    # cannot be held out): one rare class must not leave every probability at the untuned, flat default.
    calibrate = np.array([counts[v] >= 3 for v in labels])
    temperature = 1.0
    if len({v for v, ok in zip(labels, calibrate, strict=True) if ok}) >= 2:
        xs, ys, ws = x[calibrate], labels[calibrate], weights[calibrate]
        index = np.array([classes.index(v) for v in ys])
        margins = np.full((len(ys), len(classes)), -1.0)
        for train_idx, test_idx in StratifiedKFold(3, shuffle=True, random_state=0).split(xs, ys):
            part = LinearSVC(C=SVM_C).fit(xs[train_idx], ys[train_idx], sample_weight=ws[train_idx])
            m = part.decision_function(xs[test_idx])
            m = np.column_stack([-m, m]) if m.ndim == 1 else m
            cols = [classes.index(str(c)) for c in part.classes_]
            margins[np.ix_(test_idx, cols)] = m
        losses = [
            -np.log(_softmax(margins / t)[np.arange(len(index)), index] + 1e-12).mean() for t in TEMPERATURES
        ]
        temperature = float(TEMPERATURES[int(np.argmin(losses))])
    coef = svc.coef_.T.astype(np.float32)
    bias = svc.intercept_.astype(np.float32)
    return Linear(classes, np.ascontiguousarray(coef), bias, temperature)


def train(samples: Iterable[Sample], *, threshold: float = DEFAULT_THRESHOLD) -> DispatchModel:
    """A model from samples. Paths are ``level1/level2/level3`` (any depth); weights repeat a sample's say."""
    rows = [s for s in samples if s.path and (s.text or s.title)]
    if not rows:
        raise ValueError("no training samples")
    texts = [model_text(s.title, s.text, BODY_CHARS) for s in rows]
    features = CharTfidf.fit(texts, ngrams=NGRAMS, dtype=np.float32)
    matrix = features.matrix(texts)
    weights = np.array([s.weight for s in rows], dtype=float)
    level1 = [s.path.split("/")[0] for s in rows]
    top = _linear(matrix, level1, weights)

    # The path scorer learns every path with enough examples, top-level-only ones included (they hold the
    # mass of texts no deeper label fits), as long as there is at least one deeper path to tell apart.
    path_counts = Counter(s.path for s in rows)
    deep = [i for i, s in enumerate(rows) if path_counts[s.path] >= MIN_PATH_SAMPLES]
    paths = None
    kept = {rows[i].path for i in deep}
    if len(kept) >= 2 and any("/" in p for p in kept):
        paths = _linear(matrix[deep], [rows[i].path for i in deep], weights[deep])

    co_assist: dict[tuple[str, int], dict] = defaultdict(lambda: {"_n": 0})
    for s in rows:
        if s.lead_unit_id is None:
            continue
        parts = s.path.split("/")
        for depth in range(1, len(parts) + 1):
            stats = co_assist[("/".join(parts[:depth]), s.lead_unit_id)]
            stats["_n"] += 1
            for unit in s.assisting_unit_ids:
                stats[unit] = stats.get(unit, 0) + 1
    sources = Counter(s.source for s in rows)
    return DispatchModel(
        features=features,
        top=top,
        paths=paths,
        classes=sorted(set(level1)),
        threshold=threshold,
        co_assist=dict(co_assist),
        body_chars=BODY_CHARS,
        meta={
            "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "samples": len(rows),
            "sources": dict(sources),
            "classes": sorted(set(level1)),
            "paths": sorted(p for p in kept if "/" in p),
        },
    )
