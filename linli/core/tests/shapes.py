"""Pinning the shape of a JSON answer: its keys, in order, and the JSON type of every value.

``shape(body)`` turns ``{"id": 3, "tags": ["a"], "due": None}`` into
``{"id": "int", "tags": ["str"], "due": "null"}``. A list's shape is the shape
of its items merged: objects must have the same keys, and a value whose type
varies from item to item reads ``"int|null"`` (an empty list is ``[]``). Tests compare a
response's shape with a literal, so a renamed, dropped, added or re-typed key,
or a change in key order, fails them.
"""

from __future__ import annotations

from typing import Any

_SCALARS = {bool: "bool", int: "int", float: "float", str: "str", type(None): "null"}


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        shapes = [shape(v) for v in value]
        merged = shapes[0] if shapes else None
        for other in shapes[1:]:
            merged = _merge(merged, other, path="[]")
        return [merged] if shapes else []
    return _SCALARS[type(value)]


def _merge(a: Any, b: Any, *, path: str) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        assert list(a) == list(b), f"{path}: items with different keys {list(a)} and {list(b)}"
        return {k: _merge(a[k], b[k], path=f"{path}.{k}") for k in a}
    if isinstance(a, list) and isinstance(b, list):
        if not a or not b:
            return a or b
        return [_merge(a[0], b[0], path=f"{path}[]")]
    assert isinstance(a, str) and isinstance(b, str), f"{path}: an object or array in one item, not another"
    return "|".join(sorted(set(a.split("|")) | set(b.split("|"))))


def assert_same(got: Any, expected: Any, *, path: str = "$") -> None:
    """``got`` and ``expected`` are equal shapes, with dict keys in the same order; the path of the first
    difference is in the message."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), f"{path}: expected an object, got {got!r}"
        assert list(got) == list(expected), f"{path}: keys {list(got)} != {list(expected)}"
        for key in expected:
            assert_same(got[key], expected[key], path=f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list), f"{path}: expected an array, got {got!r}"
        assert len(got) == len(expected), f"{path}: {len(got)} item shapes != {len(expected)}"
        for g, e in zip(got, expected, strict=True):
            assert_same(g, e, path=f"{path}[]")
    else:
        assert got == expected, f"{path}: {got!r} != {expected!r}"


def assert_shape(body: Any, expected: Any) -> None:
    assert_same(shape(body), expected)
