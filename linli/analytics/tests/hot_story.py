"""A few weeks of demands with one hot issue in 金榕社区 (texts written for these tests)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from linli.core import clock
from linli.demands import services as s

TZ = ZoneInfo("Asia/Shanghai")
MIXING = [
    "金榕小区旁边的搅拌站晚上一直施工，噪音太大，粉尘满天，孩子睡不着",
    "金榕小区东门外搅拌站夜间施工扰民，噪音粉尘严重，请管一管",
    "搅拌站又在半夜施工了，金榕小区的居民被吵得睡不着，粉尘也大",
    "金榕小区附近搅拌站噪音粉尘扰民，晚上十二点还在作业",
    "反映金榕小区旁搅拌站夜里施工噪音大、粉尘多的问题",
]
OTHER = [
    ("菜市场门口流动摊贩占道经营，行人过不去", "community"),
    ("金榕小区3栋电梯坏了半个月物业不修", "community"),
    ("涵江村村道路灯不亮，晚上走路危险", "other_community"),
    ("涵江村河道有人倒垃圾，气味难闻", "other_community"),
]


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=TZ)


def register(world, text: str, when: dt.datetime, community=None, phone: str = "13812341234"):
    with clock.at(when):
        return s.demand_register(
            actor=world.user("agent"),
            channel="hotline",
            demand_type="complaint",
            text=text,
            community_id=(community or world.community).pk,
            phone=phone,
            name="王女士",
        )


def build(world, *, mixing: int = 4) -> dict[str, list]:
    """``mixing`` demands about the mixing plant (March and April 2025) and four others."""
    hot = [
        register(world, MIXING[i % len(MIXING)], at(3, 3 + 9 * i), phone=f"1381234{1000 + i % 3:04d}")
        for i in range(mixing)
    ]
    other = [
        register(world, text, at(3, 5 + 7 * i), community=getattr(world, where))
        for i, (text, where) in enumerate(OTHER)
    ]
    return {"hot": hot, "other": other}
