#!/usr/bin/env python3
"""Fail on calendar days taken from UTC instead of the local day (run by ``make test``).

A calendar day in Linli is a local day (``TIME_ZONE``, Asia/Shanghai): use
``clock.today()`` / ``clock.local_date(moment)``. Between 00:00 and 08:00
Beijing time ``now().date()`` is yesterday, which once showed 16 working days
left on a 15-day limit. ruff's DTZ rules (pyproject.toml) catch
``datetime.now()``, ``date.today()`` and naive ``datetime(...)``; this script
catches what ruff cannot see, in code under ``linli/`` and ``bench/`` (in tests
only the ``now()`` and ``*_at`` rules: tests build naive wall-clock times on purpose):

- ``X.date()`` unless X is visibly local time: a call of ``localtime``,
  ``local``, ``_local`` or ``localdate``, ``astimezone(tz)``, or a name starting with ``local``;
- ``now().year`` / ``.month`` / ``.day`` / ``.strftime(...)`` / ``.weekday()``
  and the like on a ``now()`` call or a name ``now``, and ``.date()`` /
  ``.year`` / ``.month`` / ``.day`` of a model's moment (``x.registered_at``,
  ``x.finish_due``: fields named ``*_at`` / ``*_due``);
- ``datetime.combine(day, time)`` without ``tzinfo=`` that is not the
  argument of ``make_aware(...)`` (a naive local moment);
- ``timezone.localdate()`` without a moment, which reads the real clock and
  ignores ``clock.at()``.

A line that is right for another reason says so with ``# local-date: <why>``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOTS = ("linli", "bench")
LOCAL_CALLS = {"localtime", "local", "_local", "localdate", "local_date"}
DAY_PARTS = {"year", "month", "day", "strftime", "weekday", "isoweekday", "isocalendar", "timetuple", "date"}
PRAGMA = "# local-date:"


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def _is_local(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        return _name(node.func) in LOCAL_CALLS or (_name(node.func) == "astimezone" and bool(node.args))
    return isinstance(node, ast.Name | ast.Attribute) and _name(node).lower().startswith("local")


def _is_moment_field(node: ast.AST) -> bool:
    """``x.registered_at``, ``x.finish_due``: aware datetimes by the models' naming convention."""
    return isinstance(node, ast.Attribute) and node.attr.endswith(("_at", "_due"))


def _is_now(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        return _name(node.func) in {"now", "utcnow"}
    return isinstance(node, ast.Name | ast.Attribute) and _name(node) in {"now", "utcnow"}


class Finder(ast.NodeVisitor):
    def __init__(self, *, strict: bool = True) -> None:
        self.found: list[tuple[int, str]] = []
        self.strict = strict  # tests are held only to the now().date() rules
        self._aware_args: set[int] = set()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if _name(func) == "make_aware" and node.args:
            self._aware_args.add(id(node.args[0]))
        if isinstance(func, ast.Attribute):
            if self.strict and func.attr == "localdate" and not node.args:
                self.found.append((node.lineno, "timezone.localdate() ignores clock.at(): use clock.today()"))
            elif func.attr == "date" and not node.args and not node.keywords:
                if _is_now(func.value):
                    self.found.append((node.lineno, "now().date() is the UTC day: use clock.today()"))
                elif _is_moment_field(func.value):
                    self.found.append((node.lineno, "x_at.date() is the UTC day: use clock.local_date(x_at)"))
                elif self.strict and not _is_local(func.value):
                    self.found.append(
                        (node.lineno, ".date() of a moment not visibly local: use clock.local_date(moment)")
                    )
            elif func.attr in DAY_PARTS and _is_now(func.value):
                self.found.append((node.lineno, f"now().{func.attr}() is UTC: use clock.today()"))
            elif (
                self.strict
                and func.attr == "combine"
                and not any(k.arg == "tzinfo" for k in node.keywords)
                and len(node.args) < 3
                and id(node) not in self._aware_args
            ):
                self.found.append(
                    (node.lineno, "naive datetime.combine(): pass tzinfo= or use clock.day_start()")
                )
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in {"year", "month", "day"} and isinstance(node.value, ast.Call) and _is_now(node.value):
            self.found.append((node.lineno, f"now().{node.attr} is UTC: use clock.today().{node.attr}"))
        elif node.attr in {"year", "month", "day"} and _is_moment_field(node.value):
            self.found.append(
                (node.lineno, f"x_at.{node.attr} is UTC: use clock.local_date(x_at).{node.attr}")
            )
        self.generic_visit(node)


def check(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    finder = Finder(strict=not _is_test(path))
    finder.visit(ast.parse(source, str(path)))
    return [
        f"{path}:{lineno}: {message}"
        for lineno, message in sorted(set(finder.found))
        if PRAGMA not in lines[lineno - 1]
    ]


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name == "conftest.py"


def files(base: Path) -> list[Path]:
    return [
        path
        for root in ROOTS
        for path in sorted((base / root).rglob("*.py"))
        if "migrations" not in path.relative_to(base).parts
    ]


def main(argv: list[str]) -> int:
    base = Path(__file__).resolve().parent.parent
    paths = [Path(a) for a in argv] if argv else files(base)
    problems = [p for path in paths for p in check(path)]
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} calendar day(s) not taken in local time (see scripts/check_dates.py)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
