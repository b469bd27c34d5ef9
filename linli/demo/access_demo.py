"""The demo's work-item access (准入): catalogue, certificates, plaques and a year of assignment requests."""

from __future__ import annotations

import datetime as dt

from linli.demo.world import World


def access_demo_load(*, world: World, end: dt.datetime) -> list[str]:
    """Load the access demo through the access services; returns the summary lines `linli demo` prints."""
    return []
