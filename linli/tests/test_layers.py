"""The house has one layer order (pyproject.toml): no two apps import each other, whichever contract lists them.

The import-linter ``layers`` contract checks the apps it names; this also catches a cycle between apps it
does not name yet (a new app), through grimp, the import graph import-linter is built on. Tests are left
out: they may build their worlds from any app's factories.
"""

from __future__ import annotations

import itertools

import grimp
import pytest


@pytest.fixture(scope="module")
def app_imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("linli")
    apps = {m for m in graph.modules if m.count(".") == 1 and graph.find_children(m)}
    edges: dict[str, set[str]] = {app: set() for app in apps}
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in (a.split(".")[1] for a in apps) or "tests" in parts:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if (
                len(other) >= 2
                and f"linli.{other[1]}" in apps
                and other[1] != parts[1]
                and "tests" not in other
            ):
                edges[f"linli.{parts[1]}"].add(f"linli.{other[1]}")
    return edges


def test_the_graph_is_read(app_imports):
    assert {"linli.demands", "linli.dispatch", "linli.ui", "linli.portal"} <= set(app_imports)
    assert "linli.dispatch" in app_imports["linli.demands"]  # a known downward import is seen


def test_no_two_apps_import_each_other(app_imports):
    cycles = [
        (a, b)
        for a, b in itertools.combinations(sorted(app_imports), 2)
        if b in app_imports[a] and a in app_imports[b]
    ]
    assert cycles == []


def test_the_bottom_layers_import_no_app_above_them(app_imports):
    assert app_imports["linli.core"] == set()
    assert app_imports["linli.ui"] <= {"linli.core"}
    assert "linli.demands" not in app_imports["linli.dispatch"]
    assert "linli.visits" not in app_imports["linli.demands"]
