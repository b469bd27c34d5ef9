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
