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
def _fresh_cache():
    """Rate-limit counters and idempotency keys live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
