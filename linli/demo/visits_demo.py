"""The demo's night visits (夜访): a campaign on 翠湖街道 in rounds, visits, the riders' meeting and designation."""

from __future__ import annotations

import datetime as dt

from linli.demo.plan import Planner
from linli.demo.world import World


def visits_demo_load(*, world: World, planner: Planner, end: dt.datetime) -> list[str]:
    """Load the night-visit demo through the visits services; returns the summary lines `linli demo` prints."""
    return []
