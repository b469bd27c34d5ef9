"""The demo scenario behind ``linli demo``: a city, its staff and a year of demands, all through the services.

``demo_load`` builds 宁川市 (see ``linli.demo.world``), plans the demands
from the seed (``linli.demo.plan``) and replays them step by step at the
moments they happened (``linli.demo.life``). Everything runs in one
transaction: a failed load leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from linli.analytics.services import analytics_rollup_refresh
from linli.core import clock
from linli.demands.selectors import DemandFilters, demand_list
from linli.demands.states import OPEN_STATUSES, DemandType
from linli.demo.access_demo import access_demo_load
from linli.demo.data import DATA_DIR, read_rows
from linli.demo.empower_part import empower_part_load
from linli.demo.errors import DemoAlreadyLoaded
from linli.demo.life import simulate
from linli.demo.plan import Planner
from linli.demo.topic_demo import topic_demo_load
from linli.demo.visits_demo import visits_demo_load
from linli.demo.world import (
    CITY_CODE,
    DEMO_PASSWORD,
    HOTSPOT_LEAVES,
    JINRONG_CODE,
    TOWNSHIP_CODE,
    demo_usernames,
    world_build,
)
from linli.dispatch.selectors import category_get
from linli.dispatch.services import dispatch_model_train
from linli.org.selectors import jurisdiction_get, jurisdiction_list, staff_list
from linli.org.services import boundaries_import
from linli.org.states import Role
from linli.programs.demo import programs_demo_load
from linli.workshop.demo import workshop_demo_load

__all__ = ["DEMO_PASSWORD", "DemoLogin", "demo_exists", "demo_load", "demo_logins", "demo_summary"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    role_label: str
    where: str


def demo_exists() -> bool:
    """The demo city is there, or one of its usernames is taken."""
    return (
        jurisdiction_list().filter(code=CITY_CODE).exists()
        or staff_list().filter(username__in=demo_usernames()).exists()
    )


def demo_load(*, seed: int = 2026, demands: int = 3000, today: dt.date | None = None) -> dict:
    """Load the demo; refuses with ``DemoAlreadyLoaded`` when it is already there. Returns ``demo_summary()``."""
    started = time.monotonic()
    end = _end(today)
    with transaction.atomic():
        if demo_exists():
            raise DemoAlreadyLoaded()
        world = world_build()
        # the communities' boundaries for the maps (cells drawn around each community's centre)
        boundaries_import(data=(DATA_DIR / "boundaries.geojson").read_bytes())
        planner = Planner(world, random.Random(seed), end)
        specs = planner.specs(demands)
        with _quiet("linli.sla"):
            steps = simulate(world, planner, specs, end)
        # After the year of demands: access reads demands handled; visits links the riders' night-visit demands.
        extra = access_demo_load(world=world, end=end) + visits_demo_load(
            world=world, planner=planner, end=end
        )
        # The coordination office takes on the school-gate hot issue as a monthly topic (每月一题).
        extra += topic_demo_load(world=world, planner=planner, end=end)
        # 赋能 in 金榕社区: public-benefit programs and the community workshop's piecework (issue #14 items 4, 5).
        jinrong, organiser = world.jurisdictions[JINRONG_CODE].pk, world.users["jinrong2"]
        extra += programs_demo_load(organiser=organiser, community_id=jinrong, end=end, seed=seed)
        firms = {u: world.users[u] for u in ("firm_rongxing", "firm_tongqu", "firm_danqing")}
        extra += workshop_demo_load(
            organiser=organiser, community_id=jinrong, accounts=firms, end=end, seed=seed
        )
        # 赋能: the first secretary, the volunteers and the 护学队 roster of the autumn term.
        extra += empower_part_load(world=world, planner=planner, end=end, seed=seed)
    # The year's finished demands (and the crosswalked starter corpus) train the dispatch model in use.
    trained = dispatch_model_train()
    extra = [
        *extra,
        f"智能派单模型 {trained['version']}：{trained['demands']} 件办结诉求 + {trained['corpus']} 条内置语料（经分类对照）",
    ]
    # The dashboards read the rollup tables: fill them now, so the figures are there before the scheduler's first pass.
    with _quiet("linli.analytics"):
        rollup = analytics_rollup_refresh(full=True)
    summary = demo_summary()
    summary.update(
        seed=seed,
        steps=steps,
        residents=len({s.phone for s in specs if s.phone}),
        units=len(world.units),
        staff=len(world.users),
        categories=len(world.leaves),
        dispatch_rules=world.rules,
        seconds=round(time.monotonic() - started, 1),
        riders_night_visit=planner.riders_visit.isoformat(),
        extra=extra,
        rollup=rollup,
    )
    return summary


@contextlib.contextmanager
def _quiet(name: str) -> Iterator[None]:
    """The replayed sweeps would log a line each; a year of them is noise on the demo's screen."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _end(today: dt.date | None) -> dt.datetime:
    now = clock.now()
    if today is None or today >= timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(today, dt.time(18, 0)))


def demo_summary() -> dict:
    """What is in the database: demands by status, channel and type, and the township's hotspot share."""
    admin = staff_list().get(username="admin")
    every = demand_list(user=admin, filters=DemandFilters()).order_by()
    township = jurisdiction_get(code=TOWNSHIP_CODE)
    hotspot_ids = [category_get(full_name=path).pk for path in HOTSPOT_LEAVES]
    in_township = demand_list(user=admin, filters=DemandFilters(area_path=township.path)).order_by()
    complaints = in_township.filter(demand_type=DemandType.COMPLAINT)
    n_complaints = complaints.count()
    n_township = in_township.count()
    hot_complaints = complaints.filter(category_id__in=hotspot_ids).count()
    hot_all = in_township.filter(category_id__in=hotspot_ids).count()
    return {
        "demands": every.count(),
        "by_status": dict(every.values_list("status").annotate(n=Count("id")).order_by("status")),
        "by_channel": dict(every.values_list("channel").annotate(n=Count("id")).order_by("channel")),
        "by_type": dict(every.values_list("demand_type").annotate(n=Count("id")).order_by("demand_type")),
        "open_overdue": every.filter(status__in=list(OPEN_STATUSES), is_overdue=True).count(),
        "escalated": every.filter(escalation_count__gt=0).count(),
        "reopened": every.filter(reopen_count__gt=0).count(),
        "township": township.name,
        "township_demands": n_township,
        "township_complaints": n_complaints,
        "township_hotspot_complaints": hot_complaints,
        "township_hotspot_share": round(hot_complaints / n_complaints, 3) if n_complaints else 0.0,
        "township_hotspot_share_all_types": round(hot_all / n_township, 3) if n_township else 0.0,
    }


def demo_logins() -> list[DemoLogin]:
    """The demo accounts in the order of the staff file (all share ``DEMO_PASSWORD``)."""
    order = {r["username"]: i for i, r in enumerate(read_rows("staff.csv"))}
    users = staff_list().filter(username__in=list(order))
    out = []
    for user in sorted(users, key=lambda u: order[u.username]):
        where = user.unit.name if user.unit_id else ""
        if user.jurisdiction_id:
            where = f"{where}（{user.jurisdiction.name}）" if where else user.jurisdiction.name
        out.append(DemoLogin(user.username, user.role, Role(user.role).label, where or "全市"))
    return out
