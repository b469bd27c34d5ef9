"""The scale generator (bench/gen_demands.py) cannot rot unnoticed: it writes every column the database requires,
and a run of a few thousand demands passes the invariant queries of ``bench/gen/checks.py``.

Issue 17: migration 0005 added ``junk``/``junk_reason`` NOT NULL without a database default, the generator did
not write them, and its first COPY failed; nothing ran it, so nobody knew.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import NOT_PROVIDED

from bench.gen import rows
from bench.gen.cli import main
from bench.gen.schema import BULK_TABLES

LAYOUTS = {
    "demands_demand": rows.DEMAND_COLS,
    "demands_assignment": rows.ASSIGNMENT_COLS,
    "demands_demandevent": rows.EVENT_COLS,
    "demands_callback": rows.CALLBACK_COLS,
    "demands_extension": rows.EXTENSION_COLS,
    "org_resident": rows.RESIDENT_COLS,
}


def test_the_generator_writes_every_column_the_database_requires():
    models = {m._meta.db_table: m for m in apps.get_models()}
    assert set(LAYOUTS) == set(BULK_TABLES)
    for table, cols in LAYOUTS.items():
        fields = {f.column: f for f in models[table]._meta.concrete_fields}
        assert set(cols) <= set(fields), (table, set(cols) - set(fields))
        required = {c for c, f in fields.items() if not f.null and f.db_default is NOT_PROVIDED}
        assert required <= set(cols), f"{table}: the generator does not write {sorted(required - set(cols))}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_generated_city_of_a_few_thousand_demands_passes_the_invariants(capsys):
    from linli.demands.models import Assignment, Demand, DemandEvent

    n = 3000 if connection.vendor == "postgresql" else 2000
    args = ["--demands", str(n), "--batch", "1000", "--workers", "1", "--seed", "11"]
    if connection.vendor != "postgresql":
        args.append("--allow-sqlite")  # INSERTs instead of COPY: the same rows, a smoke test
    assert main(args) == 0, capsys.readouterr().out[-2000:]
    out = capsys.readouterr().out
    assert "invariants" in out and '"invariant_violations": 0' in out
    assert Demand.objects.count() == n
    assert DemandEvent.objects.filter(kind="registered").count() == n
    statuses = set(Demand.objects.values_list("status", flat=True).distinct())
    assert {"closed", "in_progress"} <= statuses  # lives played forward, some still open
    assert Assignment.objects.filter(role="lead").count() > n * 0.7
    assert not Demand.objects.filter(junk=True).exists()

    # bench/scale_bench.py on what was generated, at a small size: the full rollup, new registrations caught
    # up incrementally, the metrics, inbox and list figures, each a JSON line.
    import json

    from bench import scale_bench

    assert scale_bench.main(["--runs", "1", "--new", "5"]) in (0, 1)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    figures = {line["bench"]: line for line in lines}
    assert figures["rollup_full"]["result"]["days"] > 0
    assert figures["rollup_incremental_after_new"]["result"]["events"] >= 5
    assert {"metrics_district_365d", "inbox_overdue", "list_all", "summary"} <= set(figures)
    assert Demand.objects.count() == n + 5

    # bench/web_pages.py on the same data: every staff page of its list answers, once each
    from bench import web_pages

    pages = web_pages.run(runs=1)
    printed = capsys.readouterr().out
    assert [p["page"] for p in pages] == [label for label, _, _ in web_pages.PAGES], printed[-2000:]
    assert all(p["queries"] > 0 and p["median_ms"] > 0 for p in pages)
