import pytest

from linli.access.tests import factories as f
from linli.core.tests.error_maps import errors_declared_fixture


@pytest.fixture
def cat(world):
    """The small published catalogue of ``factories.ITEMS``."""
    return f.catalogue(world)


@pytest.fixture
def signed_in(client, world):
    """``signed_in("coord")``: the test client, signed in as that world user."""

    def sign(name):
        client.force_login(world.user(name))
        return client

    return sign


# Every error an /api/v1/access/ endpoint answers in these tests is one its error map declares.
_errors_are_declared = errors_declared_fixture("/api/v1/access/")
