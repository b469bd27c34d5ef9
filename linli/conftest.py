import datetime as dt
import os

import pytest
import time_machine

from linli.org.tests.factories import make_world

# The instant every test module starts at: a Beijing daytime by default. CI runs the suite again at
# night on a year boundary (scripts/test.sh), where a UTC date taken for a local one is a day off.
DEFAULT_TEST_NOW = "2026-11-20T10:00:00+08:00"


def frozen_instant() -> dt.datetime:
    """``LINLI_TEST_NOW`` (ISO 8601 with an offset) or the default daytime instant."""
    raw = os.environ.get("LINLI_TEST_NOW") or DEFAULT_TEST_NOW
    moment = dt.datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"LINLI_TEST_NOW needs an offset, e.g. 2026-12-31T23:50:00+08:00 (got {raw})")
    return moment


@pytest.fixture(scope="module", autouse=True)
def _frozen_clock():
    """No test reads the real clock: every module (and its module-scoped fixtures) starts at ``frozen_instant()``.

    The clock ticks from there (``tick=True``), so timeouts, rate-limit windows and a live server behave as
    usual; a test that travels itself (``time_machine.travel``, ``clock.at``) still does, and comes back here.
    """
    with time_machine.travel(frozen_instant(), tick=True):
        yield


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture(autouse=True)
def _default_language():
    """A page rendered in 繁體 or English leaves that language active in the thread; each test starts in the
    default language (a service's message in zh-Hans must not depend on which test ran before)."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; a cheap hasher keeps that from dominating the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters and idempotency keys live in the cache: each test starts with none.

    Without Redis the cache is a database table, which only tests with database access can reach (and
    their transaction is rolled back anyway; the clear covers transactional tests).
    """
    from django.core.cache import cache, caches
    from django.core.cache.backends.db import BaseDatabaseCache

    from linli.core.calendar import reset_calendar_cache

    reset_calendar_cache()  # holiday rows of one test are not seen by the next

    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if isinstance(caches["default"], BaseDatabaseCache) and not uses_db:
        yield
        reset_calendar_cache()
        return
    if not request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")  # set up the database before touching its cache table
    cache.clear()
    yield
    cache.clear()
    reset_calendar_cache()


@pytest.fixture(autouse=True)
def _own_dispatch_models(settings, tmp_path):
    """Each test has its own dispatch-model directory and starts with no model loaded: a model trained
    in one test (or by the demo) never answers in another whose category tree it does not know."""
    from linli.dispatch import modelstore

    settings.LINLI_DISPATCH_MODEL_DIR = str(tmp_path / "models")
    modelstore.reset_for_tests()
    yield
    modelstore.reset_for_tests()


@pytest.fixture(scope="session", autouse=True)
def _session_dispatch_models(tmp_path_factory):
    """Module-wide fixtures (the demo) publish their models here, never under LINLI_DATA_DIR."""
    from django.conf import settings

    before = getattr(settings, "LINLI_DISPATCH_MODEL_DIR", "")
    settings.LINLI_DISPATCH_MODEL_DIR = str(tmp_path_factory.mktemp("dispatch-models"))
    yield
    settings.LINLI_DISPATCH_MODEL_DIR = before


# --- the demo scenario, built once per test session ------------------------------------------------------
# Five test modules read the demo (a year of demands, the access catalogue, night visits): building it for
# each took about 7 s a time. It is built once, every row it wrote is kept in memory and the build is
# rolled back; each module's ``demo`` fixture then writes those rows back inside its own transaction
# (rolled back at the module's end) and gets the build's summary.

DEMO_SEED, DEMO_DEMANDS = 2026, 300


def _demo_tables():
    from django.apps import apps

    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _table_rows(model) -> dict:
    fields = model._meta.local_concrete_fields
    pk = model._meta.pk
    at = [f.attname for f in fields].index(pk.attname) if pk in fields else None
    rows = model._base_manager.order_by().values_list(*[f.attname for f in fields])
    return {(row[at] if at is not None else row): row for row in rows}


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """(the demo's summary, the base row counts it was built on, per model: rows it inserted or changed)."""
    import importlib

    from django.db import transaction

    demo_load = importlib.import_module(
        "linli.demo.scenario"
    ).demo_load  # by name: tests of lower apps use it
    with django_db_blocker.unblock(), time_machine.travel(frozen_instant(), tick=True), transaction.atomic():
        models = _demo_tables()
        before = {m: _table_rows(m) for m in models}
        summary = demo_load(seed=DEMO_SEED, demands=DEMO_DEMANDS)
        written, removed = {}, False
        for m in models:
            after = _table_rows(m)
            removed = removed or bool(before[m].keys() - after.keys())
            new = {key: row for key, row in after.items() if before[m].get(key) != row}
            if new:  # rows added, and rows the demo changed (keys that were there before)
                written[m] = (list(new.values()), list(new.keys() & before[m].keys()))
        counts = {m: len(rows) for m, rows in before.items()}
        transaction.set_rollback(True)
    return summary, counts, written, removed


def _restore(written) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for model, (rows, changed) in written.items():
            fields = model._meta.local_concrete_fields
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            if changed:  # rows the demo changed rather than added: replaced whole
                model._base_manager.filter(pk__in=list(changed))._raw_delete(model._base_manager.db)
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",
                [
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
                    for row in rows
                ],
            )
        for sql in connection.ops.sequence_reset_sql(no_style(), list(written)):
            cursor.execute(sql)


@pytest.fixture(scope="module")
def demo(demo_snapshot, django_db_blocker):
    """The demo scenario for one module (loaded inside a transaction rolled back at the module's end)."""
    from django.db import transaction

    summary, counts, written, removed = demo_snapshot
    with django_db_blocker.unblock(), transaction.atomic():
        if removed or any(m._base_manager.count() != n for m, n in counts.items()):
            # not the database the snapshot was taken on (a transactional test emptied it): build afresh
            import importlib

            summary = importlib.import_module("linli.demo.scenario").demo_load(
                seed=DEMO_SEED, demands=DEMO_DEMANDS
            )
        else:
            _restore(written)
        yield summary
        transaction.set_rollback(True)
