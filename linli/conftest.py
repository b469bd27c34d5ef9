import pytest

from linli.org.tests.factories import make_world


@pytest.fixture
def world(db):
    return make_world()


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

    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if isinstance(caches["default"], BaseDatabaseCache) and not uses_db:
        yield
        return
    if not request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")  # set up the database before touching its cache table
    cache.clear()
    yield
    cache.clear()
