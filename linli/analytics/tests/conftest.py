import pytest

from linli.analytics.services import analytics_rollup_refresh
from linli.analytics.tests.scenario import build


@pytest.fixture
def story(world):
    """The eleven demands of ``scenario.py``, rolled up."""
    built = build(world)
    analytics_rollup_refresh()
    return built
