"""The demo's night visits (夜访): a campaign on 翠湖街道 in rounds, visits, the riders' meeting and designation."""

from __future__ import annotations

import datetime as dt
import uuid

from linli.core import clock
from linli.demands.selectors import night_visit_demand_ids
from linli.demo.data import read_rows
from linli.demo.plan import Planner
from linli.demo.timing import aware, local
from linli.demo.world import World
from linli.visits import services as s
from linli.visits.selectors import round_plan_table

STREET = "359703001"  # 翠湖街道, the Zhuhai-like street
ZIJING = "359703001001"
DAY = dt.timedelta(days=1)
TOKENS = uuid.UUID(
    "5b1f3c52-6a51-4d55-9f39-2a9d2f0e7a10"
)  # fixed namespace: the demo's form tokens are stable


def visits_demo_load(*, world: World, planner: Planner, end: dt.datetime) -> list[str]:
    """Load the night-visit demo through the visits services; returns the summary lines `linli demo` prints."""
    coord = world.users["xietiao1"]
    street = world.jurisdictions[STREET]
    evenings = [d for d in planner.visits[STREET] if d <= local(end).date()]
    first = evenings[0]
    with clock.at(aware(first - 14 * DAY, 10)):
        campaign = s.campaign_create(
            actor=coord,
            name="翠湖街道“三级干部夜访”",
            area_id=street.pk,
            starts_on=first,
            ends_on=first + 364 * DAY,
        )
        cadres = _cadres(world, coord)
    # One district cadre is away on one evening: the plan works around it.
    s.cadre_unavailable_add(
        actor=coord, cadre_id=cadres[3].pk, date=evenings[len(evenings) // 2], reason="外出培训"
    )
    visits = linked = 0
    riders_demands: list[int] = []
    for index, day in enumerate(evenings):
        with clock.at(aware(day - 3 * DAY, 9)):
            row = s.round_add(actor=coord, campaign_id=campaign.pk, date=day)
            s.round_plan(actor=coord, round_id=row.pk)
        for slot, plan_row in enumerate(round_plan_table(round_=row)):
            community = plan_row["community"]
            arrived = aware(day, 19, 5) + 40 * slot * MINUTE_S
            recorder = _recorder(world, plan_row["team"], community)
            with clock.at(arrived + 100 * MINUTE_S):
                visit, _ = s.visit_record(
                    actor=recorder,
                    round_id=row.pk,
                    community_id=community.pk,
                    client_token=uuid.uuid5(TOKENS, f"{day}-{community.code}"),
                    arrived_at=arrived,
                    left_at=arrived + 95 * MINUTE_S,
                    team_ids=[a.cadre_id for a in plan_row["team"]],
                    residents_met=8 + (index * 7 + slot * 3) % 17,
                    riders_met=6
                    if community.code == ZIJING and day == planner.riders_visit
                    else (index + slot) % 3,
                    property_staff_met=1 + (index + slot) % 2,
                    met_notes=_notes(community.code, day, planner),
                )
            # The evening's issues were registered as night-visit demands in the replayed year; the next morning
            # the coordination office links them to the visit.
            with clock.at(aware(day + DAY, 9)):
                for demand_id in night_visit_demand_ids(
                    community_id=community.pk, start=aware(day, 18), end=aware(day + DAY, 3)
                ):
                    s.visit_issue_link(actor=coord, visit_id=visit.pk, demand_id=demand_id)
                    linked += 1
                    if community.code == ZIJING and day == planner.riders_visit:
                        riders_demands.append(demand_id)
            visits += 1
    meeting, overdue = _riders_meeting(world, planner, end, campaign, riders_demands)
    return [
        f"夜访：{campaign.name}，{len(evenings)} 轮，{len(cadres)} 名三级干部，{visits} 次走访，"
        f"关联夜访诉求 {linked} 件",
        f"骑手协调会 {local(meeting.held_at):%Y-%m-%d}（{meeting.action_items.count()} 项事项，{overdue} 项超期），"
        f"骑手友好示范小区 {meeting.designations.count()} 个",
    ]


MINUTE_S = dt.timedelta(minutes=1)


def _cadres(world: World, coord) -> list:
    return [
        s.cadre_create(
            actor=coord,
            name=r["name"],
            level=r["level"],
            unit_id=world.units[r["unit"]].pk,
            home_area_id=world.jurisdictions[r["home_area"]].pk,
            user_id=world.users[r["username"]].pk if r["username"] else None,
        )
        for r in read_rows("visits_cadres.csv")
    ]


def _recorder(world: World, team, community):
    """The team's cadre with an account records; otherwise the community's own worker does."""
    for a in team:
        if a.cadre.user_id:
            return a.cadre.user
    return next(
        u
        for u in world.users.values()
        if u.role == "community_worker" and u.unit.jurisdiction_id == community.pk
    )


def _notes(code: str, day: dt.date, planner: Planner) -> str:
    if code == ZIJING and day == planner.riders_visit:
        return "在五洲花苑门口与收工的外卖骑手座谈：电动车不让进小区，送一单要绕二十多分钟。"
    return "在小区广场与居民、物业人员座谈，听取意见。"


def _riders_meeting(world: World, planner: Planner, end: dt.datetime, campaign, demand_ids: list[int]):
    coord = world.users["xietiao1"]
    u = world.units
    zijing = world.jurisdictions[ZIJING]
    held = aware(planner.riders_meeting, 15)
    with clock.at(held):
        meeting = s.meeting_create(
            actor=coord,
            topic="五洲花苑外卖骑手进出小区协调会",
            held_at=held,
            place="翠湖街道办事处三楼会议室",
            community_id=zijing.pk,
            campaign_id=campaign.pk,
            convened_by_id=u["CH-JD"].pk,
            unit_ids=[u["CH-JD"].pk, u["ZJ-JWH"].pk, u["XA-ZJ"].pk],
            representatives="外卖骑手代表 3 名\n五洲花苑物业服务中心 经理\n五洲花苑业主代表 1 名",
            decisions=(
                "一、骑手电动车统一停放在五洲花苑南门外停放区，不进小区；\n"
                "二、物业公司在门口投放自行车，骑手换乘自行车进入小区送餐；\n"
                "三、在社区登记的骑手经人脸识别通行，无需登记身份证。"
            ),
        )
        for demand_id in demand_ids:
            s.meeting_refer_demand(
                actor=coord, meeting_id=meeting.pk, demand_id=demand_id, note="需物业、社区、住建共同解决"
            )
        items = [
            (
                "南门外划设骑手电动车停放区并设置标识",
                "ZJ-JWH",
                14,
                "zijing2",
                "停放区已划设，可停放电动车 40 辆。",
            ),
            (
                "物业公司在南门投放共享自行车 20 辆",
                "XA-ZJ",
                21,
                "xa_zhujian1",
                "已督促物业投放自行车 20 辆，骑手扫码使用。",
            ),
            (
                "登记骑手信息，开通人脸识别通行",
                "ZJ-JWH",
                30,
                "zijing2",
                "已登记骑手 126 名，人脸识别通道开通。",
            ),
            ("总结五洲花苑做法，制定骑手友好小区建设指引", "CH-JD", None, None, ""),
        ]
        made = [
            s.action_item_add(
                actor=coord,
                meeting_id=meeting.pk,
                text_=text,
                owner_unit_id=u[unit].pk,
                deadline=planner.riders_meeting + days * DAY if days else local(end).date() - 20 * DAY,
                demand_ids=demand_ids if unit == "XA-ZJ" else [],
            )
            for text, unit, days, _user, _note in items
        ]
    for item, (_text, _unit, days, username, note) in zip(made, items, strict=True):
        if days:
            with clock.at(aware(planner.riders_meeting + (days - 2) * DAY, 16)):
                s.action_item_complete(actor=world.users[username], item_id=item.pk, note=note)
    compounds = [("五洲花苑", ZIJING, 45), ("紫荆园", ZIJING, 90), ("翠竹苑", "359703001002", 90)]
    for compound, code, days in compounds:
        on = planner.riders_meeting + days * DAY
        if on > local(end).date():
            continue
        with clock.at(aware(on, 10)):
            s.designation_create(
                actor=coord,
                compound=compound,
                community_id=world.jurisdictions[code].pk,
                title="骑手友好示范小区",
                designated_on=on,
                by_unit_id=u["CH-JD"].pk,
                reason="骑手停车换乘、人脸识别通行，送餐时间由二十多分钟缩短到五分钟左右",
                meeting_id=meeting.pk,
            )
    today = local(end).date()
    return meeting, sum(1 for item in made if (item.refresh_from_db() or item.is_overdue(today)))
