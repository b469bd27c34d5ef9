"""The one text-similarity engine: folding, character n-gram TF-IDF, cosine top-k."""

import math

import numpy as np
import pytest

from linli.core import textsim
from linli.core.textsim import CharTfidf, CosineIndex, char_ngrams, fold

DOCS = [
    "小区门口路灯不亮。小区门口路灯不亮。晚上出行不便",
    "楼道堆放杂物，存在消防隐患",
    "路灯坏了好几天，晚上很黑",
    "噪音扰民：夜间施工噪音很大",
]


def test_fold_makes_full_width_traditional_and_case_one_form():
    assert fold("  ＡＢＣ１２３　路燈不亮\u200b\n\n請處理 ") == "abc123 路灯不亮 请处理"
    assert fold(None) == ""


@pytest.mark.parametrize("ngrams", [(2, 2), (1, 2)])
def test_space_gives_scikit_learns_numbers(ngrams):
    from sklearn.feature_extraction.text import TfidfVectorizer

    reference = TfidfVectorizer(analyzer="char", ngram_range=ngrams, sublinear_tf=True).fit(DOCS)
    space = CharTfidf.fit(DOCS, ngrams=ngrams, dtype=np.float64)
    assert space.vocabulary == {str(k): int(v) for k, v in reference.vocabulary_.items()}
    np.testing.assert_allclose(space.idf, reference.idf_)
    query = ["路灯晚上不亮了", "消防通道堆放杂物"]
    np.testing.assert_allclose(
        space.matrix(query).toarray(), reference.transform(query).toarray(), atol=1e-12
    )


def test_sparse_bigram_table_gives_the_same_vectors_as_the_dense_one(monkeypatch):
    dense = CharTfidf.fit(DOCS)
    assert dense._tables()[1][0] == "dense"
    monkeypatch.setattr(textsim, "DENSE_SLOTS", 3)  # force the sorted-key lookup
    keyed = CharTfidf.fit(DOCS)
    text = "晚上路灯不亮，楼道杂物很多"
    for a, b in zip(dense.vector(text), keyed.vector(text), strict=True):
        np.testing.assert_array_equal(a, b)
    assert keyed._tables()[1][0] == "sorted"


def test_no_ngram_spans_a_break():
    assert char_ngrams("高龄|津贴", breaks="|") == ["高龄", "津贴"]
    space = CharTfidf.fit(["高龄|津贴"], breaks="|")
    assert set(space.vocabulary) == {"高龄", "津贴"}


def test_unknown_ngrams_lower_the_score_only_when_kept():
    docs = ["高龄津贴认证", "门前三包检查"]
    keep = CosineIndex(CharTfidf.fit(docs, keep_unknown=True), docs)
    drop = CosineIndex(CharTfidf.fit(docs), docs)
    text = "高龄津贴认证，另有很多别的话"
    assert drop.scores(text)[0] == pytest.approx(1.0)
    assert 0.3 < keep.scores(text)[0] < 0.9
    assert keep.scores("完全无关的句子").tolist() == [0.0, 0.0]


def test_top_ranks_documents_by_cosine():
    index = CosineIndex(CharTfidf.fit(DOCS), DOCS)
    top = index.top("路灯不亮晚上很黑", k=2)
    assert [i for i, _ in top] == [2, 0]
    assert top[0][1] > top[1][1] > 0
    assert math.isclose(sum(w * w for w in index.weights(1).values()), 1.0, rel_tol=1e-5)


def test_space_round_trips_through_plain_arrays():
    space = CharTfidf.fit(DOCS, ngrams=(1, 2), breaks="|", keep_unknown=True)
    arrays, meta = space.to_arrays("f_")
    assert all(a.dtype != object for a in arrays.values())
    again = CharTfidf.from_arrays(arrays, "f_", meta)
    assert again.vocabulary == space.vocabulary and again.unknown_idf == space.unknown_idf
    for a, b in zip(space.vector("路灯不亮|杂物"), again.vector("路灯不亮|杂物"), strict=True):
        np.testing.assert_array_equal(a, b)


def test_only_character_unigrams_and_bigrams():
    with pytest.raises(ValueError):
        char_ngrams("abc", (1, 3))
