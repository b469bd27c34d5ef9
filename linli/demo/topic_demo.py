"""The demo's 每月一题: the district's coordination office takes on the school-gate issue before the 金榕 meeting.

Two weeks before the planned joint meeting on the school gate (the planner's
``meeting`` day, when the replies start speaking of guardrails and the
school-protection team), 蕉湾区协调办 reads the hotspot page of 金溪乡 for the
half-year before, marks the issue at 第二实验学校 as the month's topic with its
demands, names the traffic police as lead unit and city management, the
school, the bus company and the community committee as assisting units, and
records the meeting on its day. Everything goes through the analytics
services, so the topic has its events like one marked on the page.
"""

from __future__ import annotations

import datetime as dt

from linli.analytics.reports.hot_issues import hot_issues
from linli.analytics.reports.scope import area_scope
from linli.analytics.topic_services import topic_mark, topic_meeting_set
from linli.core import clock
from linli.demo.plan import Planner
from linli.demo.timing import aware, local
from linli.demo.world import JINRONG_CODE, TOWNSHIP_CODE, World

OFFICE = "xietiao2"  # 蕉湾区协调办
LEAD = "JW-JJ"
ASSISTING = ("JW-CG", "JW-SY2", "BUS", "JR-JWH")
LEAD_DAYS = 14  # the topic is marked this many days before the meeting
# The office reads the half-year before the marking: a 90-day window can fall mostly in the summer holidays
# (the demo's year moves with its end date), when the school gate is quiet.
WINDOW_DAYS = 180


def topic_demo_load(*, world: World, planner: Planner, end: dt.datetime) -> list[str]:
    """Mark the school-gate issue as a monthly topic; the summary lines (none when the issue is not found)."""
    marked = aware(planner.meeting - dt.timedelta(days=LEAD_DAYS), 10)
    held = aware(planner.meeting, 15)
    if held > end:
        return []
    township = world.jurisdictions[TOWNSHIP_CODE]
    school = world.community(JINRONG_CODE).school
    day = local(marked).date()
    with clock.at(marked):
        found = hot_issues(
            scope=area_scope(township),
            date_from=day - dt.timedelta(days=WINDOW_DAYS - 1),
            date_to=day,
            top=5,
        )
        row = next((r for r in found["rows"] if school in r["place"]), None)
        if row is None:
            return []
        office = world.users[OFFICE]
        topic = topic_mark(
            actor=office,
            title=row["label"],
            place=row["place"],
            terms="、".join(row["terms"]),
            lead_unit_id=world.units[LEAD].pk,
            assisting_unit_ids=[world.units[code].pk for code in ASSISTING],
            demand_ids=row["demand_ids"],
            area_id=township.pk,
        )
    with clock.at(held):
        topic_meeting_set(
            actor=office,
            topic_id=topic.pk,
            meeting=f"{planner.meeting:%Y-%m-%d} 金榕社区学校周边交通和摊贩治理协调会：设置护栏和即停即走区、"
            "成立护学岗、摊贩迁入便民点",
            version=topic.version,
        )
    return [
        f"每月一题 {topic.month:%Y年%m月}：{topic.title}"
        f"（牵头 {world.units[LEAD].name}，协办 {len(ASSISTING)} 个单位，关联诉求 {len(row['demand_ids'])} 件）"
    ]
