import pytest

from linli.access.tests import factories as f


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
