"""Fill a database with a city and a million demands for the metrics-at-scale benchmark.

    DATABASE_URL=postgres://linli:linli@127.0.0.1:5432/linli_bench \\
        .venv/bin/python bench/gen_demands.py --demands 1000000 --seed 7

The small part (a city of 3 districts × 6 streets × 8 communities, 44 units,
110 staff accounts, a 10 × 3 category tree, the dispatch catalogue) is built
through the org and dispatch services. The large part is written as rows: a
million demands through the demand services would take hours. Each demand's
life is played forward from registration to now with the rules the services
apply: the transition table, deadlines from the policy table and the
working-day calendar, routing through the dispatch catalogue, the SLA sweep's
overdue stamps and escalations (the sweep runs every minute), the version
counter and the payload of every event. Demands that are still open at the
end stay open, so the open statuses and the overdue ones are what a live
system would show.

Rows are streamed with COPY on PostgreSQL by ``--workers`` processes, one
batch of demands at a time; the ids of every table stay dense. On SQLite,
plain INSERTs, for a smoke test only (``--allow-sqlite``, at most 20,000).
While loading PostgreSQL, the plain indexes and the unique and foreign keys of
the bulk tables are dropped, then recreated from their saved definitions, which
also checks every unique and foreign key; then VACUUM ANALYZE and a few
invariant queries (each must count 0).

Relative to the moment it runs, the same ``--seed`` and ``--batch`` give the
same demands and lives whatever ``--workers``; with several workers, the ids of
the other tables and which earlier caller a returning resident is follow the
order in which batches finish. Event ids ascend per demand, not across
demands: a demand's whole life is written at once.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import heapq
import itertools
import json
import multiprocessing
import os
import random
import resource
import sys
import time
import unicodedata
from collections import Counter, deque
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

SQLITE_MAX = 20_000
SPAN_DAYS = 395  # the last 13 months
BENCH_PASSWORD = "Linli-bench-2026"
BULK_TABLES = (
    "demands_demand",
    "demands_assignment",
    "demands_demandevent",
    "demands_callback",
    "demands_extension",
    "org_resident",
)

# --- the city ---------------------------------------------------------------------------------------

DISTRICTS = [("350902", "榕城区", "榕"), ("350903", "涵江区", "涵"), ("350904", "青湖区", "青")]
STREET_WORDS = ["东", "西", "南", "北", "中", "新"]
COMMUNITY_WORDS = ["东苑", "西苑", "南湖", "北岸", "新村", "花园", "滨江", "山水"]
PILOTS_PER_DISTRICT = 2  # communities whose committee takes demands directly
CITY_UNITS = [  # code, name, kind
    ("CG", "市城市管理局", "department"),
    ("ZJ", "市住房和城乡建设局", "department"),
    ("JT", "市交通运输局", "department"),
    ("JJ", "市公安局交通警察支队", "department"),
    ("GA", "市公安局", "department"),
    ("HB", "市生态环境局", "department"),
    ("SJ", "市市场监督管理局", "department"),
    ("RS", "市人力资源和社会保障局", "department"),
    ("WJ", "市卫生健康委员会", "department"),
    ("YB", "市医疗保障局", "department"),
    ("JY", "市教育局", "department"),
    ("YJ", "市应急管理局", "department"),
    ("MZ", "市民政局", "department"),
    ("SW", "市自来水公司", "company"),
    ("GD", "国网宁川供电公司", "company"),
    ("RQ", "宁川燃气公司", "company"),
    ("GJ", "市公交集团", "company"),
]
# top: (its citywide unit, [(second level, its citywide unit, local routing, weight, issues)]).
# Local routing: "district" → the district's 城管局; "street" → the street office;
# "community" → the street office, and the committee in a pilot community.
CATEGORIES = {
    "城乡建设": (
        "ZJ",
        [
            ("市政管理", "CG", "district", 10, "路灯不亮 井盖缺失 人行道破损 占道经营"),
            ("物业管理", "", "street", 7, "电梯故障无人修 物业费纠纷 小区违章搭建"),
            ("房屋建设", "", "", 3, "工地夜间施工 房屋漏水 安置房延期交付"),
        ],
    ),
    "交通运输": (
        "JT",
        [
            ("道路交通秩序", "JJ", "", 7, "路口拥堵 违章停车堵路 信号灯故障"),
            ("公共交通", "GJ", "", 3, "公交车晚点 公交站台损坏 线路调整不合理"),
            ("停车管理", "JJ", "", 4, "小区周边乱停车 停车收费不规范"),
        ],
    ),
    "生态环境": (
        "HB",
        [
            ("噪声污染", "", "", 5, "广场舞噪音扰民 商铺外放音乐 夜间装修噪音"),
            ("大气污染", "", "", 2, "餐馆油烟扰民 焚烧垃圾"),
            ("水污染", "", "", 1, "河道发黑发臭 污水直排"),
        ],
    ),
    "市场监管": (
        "SJ",
        [
            ("食品安全", "", "", 3, "餐馆卫生差 售卖过期食品"),
            ("消费维权", "", "", 4, "预付卡退费难 商家拒绝退货"),
            ("价格监管", "", "", 1, "停车场乱收费 菜价标价不符"),
        ],
    ),
    "劳动保障": (
        "RS",
        [
            ("拖欠工资", "", "", 4, "工地拖欠工资 公司拖欠工资"),
            ("社会保险", "", "", 2, "社保转移困难 公司未缴社保"),
            ("就业服务", "", "", 1, "求职登记咨询 就业补贴申领"),
        ],
    ),
    "卫生健康": (
        "WJ",
        [
            ("医疗服务", "", "", 2, "医院排队时间长 医生服务态度差"),
            ("医疗保障", "YB", "", 2, "医保报销慢 异地就医备案"),
            ("疫苗接种", "", "", 1, "疫苗预约困难"),
        ],
    ),
    "教育": (
        "JY",
        [
            ("学校管理", "", "", 2, "学校门口拥堵 食堂伙食差"),
            ("招生入学", "", "", 2, "入学片区划分 转学手续"),
            ("校外培训", "", "", 1, "培训机构退费难"),
        ],
    ),
    "公共服务": (
        "SW",
        [
            ("供水", "", "", 3, "停水无通知 水压不足 自来水浑浊"),
            ("供电", "GD", "", 2, "频繁停电 电表异常"),
            ("燃气", "RQ", "", 1, "燃气管道漏气 燃气开户慢"),
        ],
    ),
    "社区治理": (
        "MZ",
        [
            ("邻里纠纷", "", "community", 6, "楼上漏水邻居不配合 楼道堆放杂物 宠物扰民"),
            ("环境卫生", "CG", "community", 5, "垃圾清运不及时 绿化带无人管理 公厕脏乱"),
            ("养老服务", "", "street", 2, "老年食堂服务 高龄补贴发放"),
        ],
    ),
    "公共安全": (
        "YJ",
        [
            ("消防隐患", "", "", 2, "消防通道被占 电动车楼道充电"),
            ("社会治安", "GA", "", 2, "夜间有人聚集闹事 电信诈骗咨询"),
            ("防汛防台", "", "", 1, "路面积水 排水沟堵塞"),
        ],
    ),
}
ROADS = [
    "榕华路",
    "新华路",
    "人民路",
    "胜利街",
    "中山路",
    "建设路",
    "解放路",
    "滨江大道",
    "文化路",
    "学府路",
    "东环路",
    "北门街",
]
# Staff-typed text goes through clean_text, whose NFKC folds full-width punctuation ("，" → ","): typed() does the same.
ASKS = [
    "希望尽快处理。",
    "请相关部门核实处理。",
    "已反映多次，请尽快解决。",
    "影响居民正常生活，请协调解决。",
    "请给予答复。",
]
REPLIES = [
    "已现场核实并处理完毕，已告知诉求人。",
    "已协调相关单位整改，问题已解决。",
    "经核实情况属实，已责令限期整改。",
    "已向诉求人解释相关政策，诉求人表示理解。",
    "已安排人员维修，现已恢复正常。",
]
ASKS, REPLIES = (
    [unicodedata.normalize("NFKC", t) for t in ASKS],
    [unicodedata.normalize("NFKC", t) for t in REPLIES],
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
TYPES = [
    ("consultation", 22),
    ("help", 25),
    ("complaint", 30),
    ("report", 8),
    ("suggestion", 12),
    ("praise", 3),
]
CHANNELS = [("hotline", 65), ("web", 18), ("night_visit", 7), ("walk_in", 5), ("open311", 3), ("import", 2)]
PUBLIC_CHANNELS = ("web", "open311")
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

# --- row layouts ---------------------------------------------------------------------------------------

DEMAND_COLS = (
    "id",
    "code",
    "demand_type",
    "urgency",
    "channel",
    "title",
    "text",
    "address",
    "community_id",
    "area_path",
    "latitude",
    "longitude",
    "category_id",
    "category_top_id",
    "complainant_id",
    "status",
    "version",
    "external_ref",
    "registered_at",
    "registered_by_id",
    "lead_unit_id",
    "dispatched_at",
    "sign_due",
    "finish_due",
    "replied_at",
    "reply_text",
    "finished_on_time",
    "callback_due",
    "called_back_at",
    "closed_at",
    "resolved",
    "resolved_at_intake",
    "resolved_by_grassroots",
    "satisfaction",
    "reopen_count",
    "return_count",
    "is_overdue",
    "callback_overdue_at",
    "escalation_count",
    "escalated_at",
    "master_id",
)
ASSIGNMENT_COLS = (
    "id",
    "demand_id",
    "unit_id",
    "role",
    "status",
    "dispatched_at",
    "dispatched_by_id",
    "sign_due",
    "finish_due",
    "signed_at",
    "signed_by_id",
    "signed_on_time",
    "replied_at",
    "reply_text",
    "return_reason",
    "instructions",
    "sign_overdue_at",
    "finish_overdue_at",
)
EXTENSION_COLS = (
    "id",
    "assignment_id",
    "days",
    "reason",
    "status",
    "requested_by_id",
    "requested_at",
    "decided_by_id",
    "decided_at",
    "decision_note",
    "old_due",
    "new_due",
)
CALLBACK_COLS = ("id", "demand_id", "at", "by_id", "resolved", "satisfaction", "note", "on_time")
EVENT_COLS = ("id", "demand_id", "assignment_id", "kind", "actor_id", "at", "old", "new", "note")
RESIDENT_COLS = ("id", "name", "phone", "created_at")

HANDLING = ("registered", "dispatched", "in_progress", "returned")
ACTIVE = ("pending_sign", "signed", "return_requested")
MINUTE, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


# --- working-day calendar ----------------------------------------------------------------------------


class FastCalendar:
    """The deadline arithmetic of ``linli.core.calendar`` over a precomputed working-day table.

    Same rules and results (compared with the real functions on random instants
    before anything is written), without a calendar lookup per day.
    """

    def __init__(self, first: dt.date, last: dt.date):
        from django.utils import timezone

        from linli.core import calendar as cal

        self.cal, self.tz = cal, timezone.get_default_timezone()
        self.work = {
            first + dt.timedelta(days=i): cal.is_workday(first + dt.timedelta(days=i))
            for i in range((last - first).days + 1)
        }
        self.workdays = sorted(d for d, w in self.work.items() if w)
        self.periods = cal.work_periods()
        self.close = self.periods[-1][1]

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        day = start.astimezone(self.tz).date()
        if days or not self.work[day]:
            day = self.workdays[bisect.bisect_right(self.workdays, day) + max(days, 1) - 1]
        return dt.datetime.combine(day, self.close, tzinfo=self.tz)

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        remaining, cursor = dt.timedelta(minutes=minutes), start.astimezone(self.tz)
        day = cursor.date()
        while True:
            if self.work[day]:
                for begin, end in self.periods:
                    p_start, p_end = (dt.datetime.combine(day, t, tzinfo=self.tz) for t in (begin, end))
                    if cursor >= p_end:
                        continue
                    cursor = max(cursor, p_start)
                    if remaining <= p_end - cursor:
                        return cursor + remaining
                    remaining -= p_end - cursor
                    cursor = p_end
            day += DAY
            cursor = dt.datetime.combine(day, dt.time(0, 0), tzinfo=self.tz)

    def add_duration(self, start: dt.datetime, amount: int, unit: str) -> dt.datetime:
        if unit == "minutes":
            return start + amount * MINUTE
        if unit == "hours":
            return start + amount * HOUR
        if unit == "working_hours":
            return self.add_working_minutes(start, amount * 60)
        if unit == "working_days":
            return self.add_working_days(start, amount)
        raise ValueError(unit)

    def self_check(
        self, rnd: random.Random, first: dt.datetime, span: dt.timedelta, samples: int = 1500
    ) -> None:
        cases = [
            (2, "working_hours"),
            (3, "working_days"),
            (7, "working_days"),
            (15, "working_days"),
            (30, "minutes"),
        ]
        for _ in range(samples):
            start = first + span * rnd.random()
            for amount, unit in cases:
                mine, theirs = (
                    self.add_duration(start, amount, unit),
                    self.cal.add_duration(start, amount, unit),
                )
                if mine != theirs:
                    raise SystemExit(f"calendar mismatch at {start} +{amount} {unit}: {mine} != {theirs}")


# --- building the city through the services ----------------------------------------------------------


@dataclass
class UnitInfo:
    id: int
    name: str
    grassroots: bool
    handler_id: int
    supervisor_id: int


@dataclass
class Place:
    id: int
    name: str
    path: str
    street_office_id: int
    lat: float
    lon: float


@dataclass
class Cat:
    id: int
    full_name: str
    top_id: int
    issues: list[str]


@dataclass
class City:
    places: list[Place]
    place_cum: list[float]
    units: dict[int, UnitInfo]
    departments: list[int]
    cats: list[Cat]
    cat_cum: list[float]
    route: dict[tuple[int, int], int]
    agents: list[int]
    dispatchers: list[int]
    policies: dict[tuple[str, str], tuple]
    summary: dict = field(default_factory=dict)


def build_city(rnd: random.Random) -> City:
    import django.test.signals  # noqa: F401  (resets the hasher cache when PASSWORD_HASHERS changes)
    from django.db import transaction
    from django.test.utils import override_settings

    from linli.demands.models import DeadlinePolicy
    from linli.demands.services._base import default_policy
    from linli.dispatch.selectors import category_get, route_unit
    from linli.dispatch.services import category_create, dispatch_rule_set
    from linli.org.selectors import community_get
    from linli.org.services import jurisdiction_create, staff_create, unit_create
    from linli.org.states import GRASSROOTS_UNIT_KINDS, Role

    units: dict[int, UnitInfo] = {}
    by_code: dict[str, object] = {}
    staff_names: list[str] = []

    def staff(username, role, unit=None, jurisdiction=None, display=""):
        staff_names.append(username)
        return staff_create(
            username=username,
            password=BENCH_PASSWORD,
            role=role,
            unit=unit,
            jurisdiction=jurisdiction,
            display_name=display or username,
        )

    def add_unit(code, name, kind, jurisdiction):
        unit = unit_create(code=code, name=name, kind=kind, jurisdiction=jurisdiction)
        handler_role = Role.COMMUNITY_WORKER if kind == "community_committee" else Role.UNIT_HANDLER
        handler = staff(f"{code.lower()}_handler", handler_role, unit=unit, display=f"{name}承办人")
        boss = staff(f"{code.lower()}_boss", Role.UNIT_SUPERVISOR, unit=unit, display=f"{name}负责人")
        units[unit.pk] = UnitInfo(unit.pk, name, kind in GRASSROOTS_UNIT_KINDS, handler.pk, boss.pk)
        by_code[code] = unit
        return unit

    places, weights, pilots, district_cg, streets = [], [], [], [], []
    # Bench accounts share one printed password: a fast hasher makes 110 of them take a second, not a minute.
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        city = jurisdiction_create(code="3509", name="宁川市", level="city")
        for code, name, kind in CITY_UNITS:
            add_unit(code, name, kind, city)
        staff("leader_city", Role.LEADER, display="市领导")
        for d_i, (d_code, d_name, d_short) in enumerate(DISTRICTS):
            district = jurisdiction_create(code=d_code, name=d_name, level="district", parent=city)
            district_cg.append(
                (district, add_unit(f"CG{d_code}", f"{d_name}城市管理局", "department", district))
            )
            staff(f"leader_{d_code}", Role.LEADER, jurisdiction=district, display=f"{d_name}领导")
            for s_i, word in enumerate(STREET_WORDS):
                s_code, s_name = f"{d_code}{101 + s_i:03d}", f"{d_short}{word}街道"
                street = jurisdiction_create(code=s_code, name=s_name, level="street", parent=district)
                office = add_unit(f"ST{s_code}", f"{s_name}办事处", "street_office", street)
                streets.append((street, office))
                for c_i, c_word in enumerate(COMMUNITY_WORDS):
                    village = d_i == 2 and c_i == len(COMMUNITY_WORDS) - 1
                    c_name = f"{d_short}{word}{c_word}{'村' if village else '社区'}"
                    population = rnd.randint(3000, 30000)
                    community = jurisdiction_create(
                        code=f"{s_code}{c_i + 1:03d}",
                        name=c_name,
                        parent=street,
                        level="village" if village else "community",
                        population=population,
                    )
                    if s_i == 0 and c_i < PILOTS_PER_DISTRICT:
                        pilots.append(
                            (
                                community,
                                add_unit(
                                    f"CM{community.code}", f"{c_name}居委会", "community_committee", community
                                ),
                            )
                        )
                    places.append(
                        Place(
                            community.pk,
                            c_name,
                            community.path,
                            office.pk,
                            26.0 + d_i * 0.1 + rnd.random() * 0.05,
                            119.0 + s_i * 0.02 + rnd.random() * 0.02,
                        )
                    )
                    weights.append(population)
        cats, cat_weights, rules = [], [], 0
        for t_i, (top_name, (top_unit, mids)) in enumerate(CATEGORIES.items()):
            top = category_create(code=f"C{t_i + 1:02d}", name=top_name)
            dispatch_rule_set(category=top, unit=by_code[top_unit])
            rules += 1
            for m_i, (mid_name, mid_unit, local, weight, issues) in enumerate(mids):
                mid = category_create(code=f"C{t_i + 1:02d}{m_i + 1}", name=mid_name, parent=top)
                cats.append(Cat(mid.pk, mid.full_name, top.pk, issues.split()))
                cat_weights.append(weight)
                lines = [(by_code[mid_unit], None)] if mid_unit else []
                if local == "district":
                    lines += [(cg, district) for district, cg in district_cg]
                if local in ("street", "community"):
                    lines += [(office, street) for street, office in streets]
                if local == "community":
                    lines += [(committee, community) for community, committee in pilots]
                for unit, area in lines:
                    dispatch_rule_set(category=mid, unit=unit, jurisdiction=area)
                rules += len(lines)
        agents = [
            staff(f"agent{i:02d}", Role.HOTLINE_AGENT, display=f"话务员{i:02d}").pk for i in range(1, 13)
        ]
        dispatchers = [staff(f"dispatcher{i}", Role.DISPATCHER, display=f"派单员{i}").pk for i in range(1, 5)]
        staff("coord", Role.COORDINATION_OFFICE, display="协调办")
        staff("admin", Role.ADMIN, display="管理员")

    # The catalogue decides every lead unit: ask it once per (category, community).
    communities = {p.id: community_get(community_id=p.id) for p in places}
    route = {}
    for cat in cats:
        category = category_get(category_id=cat.id)
        for p in places:
            route[(cat.id, p.id)] = route_unit(category=category, community=communities[p.id])
            if route[(cat.id, p.id)] is None:
                raise SystemExit(f"no dispatch rule for {cat.full_name} in {p.name}")
    policies = {}
    for demand_type, _ in TYPES:
        for urgency in ("normal", "urgent"):
            p = DeadlinePolicy.objects.filter(
                demand_type=demand_type, urgency=urgency
            ).first() or default_policy(demand_type, urgency)
            policies[(demand_type, urgency)] = (
                p.sign_amount,
                p.sign_unit,
                p.finish_amount,
                p.finish_unit,
                p.callback_days,
            )
    return City(
        places=places,
        place_cum=list(itertools.accumulate(weights)),
        units=units,
        cats=cats,
        departments=[u.pk for u in by_code.values() if u.kind in ("department", "company")],
        cat_cum=list(itertools.accumulate(cat_weights)),
        route=route,
        agents=agents,
        dispatchers=dispatchers,
        policies=policies,
        summary={
            "jurisdictions": 1 + len(DISTRICTS) + len(streets) + len(places),
            "units": len(units),
            "staff": len(staff_names),
            "categories": len(CATEGORIES) + len(cats),
            "dispatch_rules": rules,
            "leaders": [n for n in staff_names if n.startswith("leader_")],
        },
    )


# --- one batch of demands, played forward ------------------------------------------------------------


class D:
    __slots__ = (*DEMAND_COLS, "assignments", "place", "cat", "policy")


class A:
    __slots__ = ASSIGNMENT_COLS


class X:
    __slots__ = (*EXTENSION_COLS, "assignment")


_demand_row, _assignment_row, _extension_row = (
    attrgetter(*DEMAND_COLS),
    attrgetter(*ASSIGNMENT_COLS),
    attrgetter(*EXTENSION_COLS),
)


def typed(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_J_CACHE: dict[tuple, str] = {}


def _j(obj: dict | None) -> str:
    """JSON of an event payload, as json.dumps writes it; most payloads repeat, so they are cached."""
    if not obj:
        return "{}"
    try:
        key = tuple(obj.items())
        cached = _J_CACHE.get(key)
    except TypeError:  # a list inside
        key, cached = None, None
    if cached is not None:
        return cached
    parts = []
    for name, v in obj.items():
        if v.__class__ is str and '"' not in v and "\\" not in v:
            text = '"' + v + '"'
        elif v.__class__ is bool:
            text = "true" if v else "false"
        elif v is None:
            text = "null"
        elif v.__class__ is int:
            text = str(v)
        elif v.__class__ is X:  # an extension's id, known once the batch has its ids
            text = str(v.id)
        else:
            text = json.dumps(v, ensure_ascii=False)
        parts.append(f'"{name}": {text}')
    text = "{" + ", ".join(parts) + "}"
    if key is not None and len(_J_CACHE) < 100_000 and not any(v.__class__ is X for v in obj.values()):
        _J_CACHE[key] = text
    return text


def _code6(n: int) -> str:
    """Six characters of the tracking-code alphabet, unique for n < 31**6, that do not look sequential."""
    n = (n * 1_000_003) % (31**6)
    out = ""
    for _ in range(6):
        n, r = divmod(n, 31)
        out += _CODE_ALPHABET[r]
    return out


class Batch:
    """Demands registered in one stretch of time, each played forward from registration until ``now``.

    The ids of assignments, extensions, callbacks, events and new residents are
    local until ``rows()`` is given the last id taken in each table.
    """

    def __init__(
        self,
        city: City,
        cal: FastCalendar,
        rnd: random.Random,
        now: dt.datetime,
        first_id: int,
        known_residents: int,
        people: random.Random,
    ):
        self.city, self.cal, self.rnd, self.now, self.people = city, cal, rnd, now, people
        self.next_id, self.known_residents = first_id, known_residents
        self.demands: list[D] = []
        self.assignments: list[A] = []
        self.extensions: list[X] = []
        self.callbacks: list[tuple] = []
        self.events: list[tuple] = []
        self.residents: list[tuple] = []
        self.recent: dict[int, deque] = {}
        self.prefixes: dict[dt.date, str] = {}
        self.types = ([v for v, _ in TYPES], list(itertools.accumulate(w for _, w in TYPES)))
        self.channels = ([v for v, _ in CHANNELS], list(itertools.accumulate(w for _, w in CHANNELS)))

    # -- the steps every service takes --

    def save(self, d: D) -> None:
        d.version += 1

    def ev(self, d: D, kind: str, at, actor=None, old=None, new=None, note="", a: A | None = None) -> None:
        self.events.append((d.id, a, kind, actor, at, old, new, note))

    def pick(self, values_cum):
        values, cum = values_cum
        return values[bisect.bisect(cum, self.rnd.random() * cum[-1])]

    def complainant(self, at) -> int:
        """A resident id: known ones are positive, this batch's new ones negative until the batch has its ids.

        Its own random stream: how many residents exist when a batch starts depends on
        the order in which the workers finish, and must not change anything else.
        """
        rnd = self.people
        if rnd.random() < 0.3 and (self.known_residents or self.residents):
            if self.known_residents and (not self.residents or rnd.random() < 0.9):
                return rnd.randint(1, self.known_residents)
            return -rnd.randint(1, len(self.residents))
        name = "" if rnd.random() < 0.4 else rnd.choice(SURNAMES) + rnd.choice(["先生", "女士"])
        self.residents.append((name, at))
        return -len(self.residents)

    def register(self, at: dt.datetime) -> D:
        rnd, city = self.rnd, self.city
        d = D()
        d.id = self.next_id
        self.next_id += 1
        day = at.date()
        prefix = self.prefixes.get(day) or self.prefixes.setdefault(day, "LL" + at.strftime("%y%m%d"))
        d.code = prefix + _code6(d.id)
        d.demand_type, d.channel = self.pick(self.types), self.pick(self.channels)
        d.urgency = "urgent" if rnd.random() < 0.05 else "normal"
        place = city.places[bisect.bisect(city.place_cum, rnd.random() * city.place_cum[-1])]
        cat = city.cats[bisect.bisect(city.cat_cum, rnd.random() * city.cat_cum[-1])]
        issue, road = rnd.choice(cat.issues), rnd.choice(ROADS)
        d.address = f"{place.name}{road}{rnd.randint(1, 300)}号"
        d.text = typed(f"来电人反映{d.address}附近{issue}，已持续{rnd.randint(2, 30)}天，{rnd.choice(ASKS)}")
        d.title = f"{road}{issue}" if rnd.random() < 0.7 else d.text[:30]
        d.community_id, d.area_path, d.place = place.id, place.path, place
        d.latitude = d.longitude = None
        if rnd.random() < 0.4:
            d.latitude = Decimal(f"{place.lat + rnd.random() * 0.01:.6f}")
            d.longitude = Decimal(f"{place.lon + rnd.random() * 0.01:.6f}")
        d.category_id, d.category_top_id, d.cat = cat.id, cat.top_id, cat
        anonymous = d.channel not in PUBLIC_CHANNELS and rnd.random() < 0.05
        d.complainant_id = None if anonymous else self.complainant(at)
        d.status, d.version, d.registered_at = "registered", 1, at
        d.external_ref = f"TZ{at:%Y%m}{d.id:07d}" if d.channel == "import" else ""
        d.registered_by_id = None if d.channel in PUBLIC_CHANNELS else rnd.choice(city.agents)
        d.lead_unit_id = d.dispatched_at = d.sign_due = d.finish_due = d.replied_at = d.finished_on_time = (
            None
        )
        d.callback_due = d.called_back_at = d.closed_at = d.resolved = d.resolved_by_grassroots = None
        d.callback_overdue_at = d.escalated_at = d.master_id = None
        d.reply_text, d.satisfaction, d.resolved_at_intake, d.is_overdue = "", "", False, False
        d.reopen_count = d.return_count = d.escalation_count = 0
        d.assignments, d.policy = [], city.policies[(d.demand_type, d.urgency)]
        self.demands.append(d)
        self.ev(
            d,
            "registered",
            at,
            actor=d.registered_by_id,
            new={"channel": d.channel, "type": d.demand_type, "urgency": d.urgency, "community": place.name},
        )
        return d

    def live(self, d: D) -> None:
        """A small event loop: each step runs at its time (after the sweeps due before it) and schedules the next."""
        rnd, t0 = self.rnd, d.registered_at
        self.queue, self.seq = [], itertools.count()
        if d.demand_type == "consultation" and rnd.random() < 0.35:
            self.at(t0 + rnd.uniform(1, 10) * MINUTE, self.resolve_at_intake, d)
        else:
            r = rnd.random()
            master = self.master_for(d) if 0.03 <= r < 0.05 else None
            if r < 0.025:
                self.at(t0 + rnd.uniform(5, 240) * MINUTE, self.end, d, "invalid", "重复来电/无实质内容")
            elif r < 0.03:
                self.at(t0 + rnd.uniform(5, 120) * MINUTE, self.end, d, "withdrawn", "诉求人来电撤销")
            elif master is not None:
                self.at(t0 + rnd.uniform(10, 120) * MINUTE, self.merge, d, master)
            elif not 0.05 <= r < 0.0515:  # else: never dispatched
                self.at(
                    t0 + (rnd.uniform(2, 20) if d.urgency == "urgent" else rnd.uniform(10, 240)) * MINUTE,
                    self.dispatch,
                    d,
                )
        self.last_step = t0
        while self.queue:
            when, _, step, args = heapq.heappop(self.queue)
            if when > self.now:
                break
            self.sweep(d, when)
            step(when, *args)
            self.last_step = when
        self.sweep(d, self.now)
        self.recent.setdefault(d.community_id, deque(maxlen=40)).append(d)

    def at(self, when, step, *args) -> None:
        heapq.heappush(self.queue, (when, next(self.seq), step, args))

    # -- the SLA sweep (linli.demands.services.sla), once a minute --

    @staticmethod
    def tick(due: dt.datetime) -> dt.datetime:
        """The first sweep run after ``due``: runs start at 1.5 s past each minute."""
        run = due.replace(second=1, microsecond=500_000)
        return run if run > due else run + MINUTE

    def sweep(self, d: D, limit: dt.datetime) -> None:
        """Stamp what the sweep runs between the last step and ``limit`` find; nothing was due before the last step."""
        since = self.last_step
        while True:
            due_items = []  # (run, order within a run, due, kind, assignment)
            for a in d.assignments:
                if a.status == "pending_sign" and a.sign_overdue_at is None:
                    due_items.append(
                        (self.tick(max(a.sign_due, since)), 0, a.id, a.sign_due, "sign_overdue", a)
                    )
                if a.status in ACTIVE and a.finish_overdue_at is None:
                    due_items.append(
                        (self.tick(max(a.finish_due, since)), 1, a.id, a.finish_due, "finish_overdue", a)
                    )
            if d.status == "replied" and d.callback_overdue_at is None:
                due_items.append(
                    (self.tick(max(d.callback_due, since)), 2, 0, d.callback_due, "callback_overdue", None)
                )
            if not due_items:
                return
            stamp, _, _, due, kind, a = min(due_items, key=lambda item: item[:3])
            if stamp >= limit:
                return
            if a is None:
                d.callback_overdue_at = stamp
                self.save(d)
                self.ev(d, kind, stamp, new={"due": _iso(due)})
                self.escalate(d, stamp, "回访超期，系统自动督办")
                continue
            name = self.city.units[a.unit_id].name
            if kind == "sign_overdue":
                a.sign_overdue_at, label = stamp, "签收超时，系统自动督办"
            else:
                a.finish_overdue_at, label = stamp, "办理超期，系统自动督办"
                if a.role == "lead":
                    d.is_overdue = True
                    self.save(d)
            self.ev(d, kind, stamp, a=a, new={"unit": name, "due": _iso(due)})
            self.escalate(d, stamp, f"{name}：{label}")

    def escalate(self, d: D, at, reason: str) -> None:
        d.escalation_count += 1
        d.escalated_at = at
        self.save(d)
        self.ev(d, "escalated", at, new={"level": d.escalation_count, "source": "sla"}, note=reason)

    # -- intake (services/intake.py) --

    def resolve_at_intake(self, at, d: D) -> None:
        answer = typed("已当场解答相关政策，来电人表示清楚。")
        d.status, d.reply_text, d.replied_at, d.closed_at = "closed", answer, at, at
        d.resolved, d.resolved_at_intake, d.finished_on_time, d.resolved_by_grassroots = (
            True,
            True,
            True,
            False,
        )
        self.save(d)
        self.ev(
            d,
            "resolved_at_intake",
            at,
            actor=d.registered_by_id or self.rnd.choice(self.city.agents),
            old={"status": "registered"},
            new={"status": "closed"},
            note=answer,
        )

    def master_for(self, d: D) -> D | None:
        """The latest earlier demand of this batch in the same community and top category that was never merged."""
        for m in reversed(self.recent.get(d.community_id, ())):
            if m.category_top_id == d.category_top_id and m.master_id is None:
                return m
        return None

    def merge(self, at, d: D, m: D) -> None:
        if not (
            m.registered_at < at and (m.closed_at is None or m.closed_at > at)
        ):  # the master must be open then
            return self.dispatch(at, d)
        actor = self.rnd.choice(self.city.dispatchers)
        old = d.status
        d.status, d.master_id, d.closed_at = "merged", m.id, at
        self.save(d)
        self.ev(d, "merged", at, actor=actor, old={"status": old}, new={"status": "merged", "master": m.code})
        self.ev(m, "merged_in", at, actor=actor, new={"duplicate": d.code})
        self.save(m)

    def end(self, at, d: D, status: str, reason: str) -> None:
        if d.status not in (("registered", "dispatched", "returned") if status == "invalid" else HANDLING):
            return
        actor = self.rnd.choice(self.city.dispatchers)
        self.cancel_active(d, actor, at, reason)
        old = d.status
        d.status, d.closed_at = status, at
        self.save(d)
        self.ev(d, status, at, actor=actor, old={"status": old}, new={"status": status}, note=reason)

    def cancel_active(self, d: D, actor, at, reason: str) -> None:
        for a in d.assignments:
            if a.status in ACTIVE:
                old, a.status = a.status, "cancelled"
                self.ev(
                    d,
                    "assignment_cancelled",
                    at,
                    actor=actor,
                    a=a,
                    old={"status": old},
                    new={"status": "cancelled", "unit": self.city.units[a.unit_id].name},
                    note=reason,
                )

    def open_assignments(
        self, d: D, lead_id: int, assisting: list[int], actor, at, instructions: str
    ) -> None:
        sign_amount, sign_unit, finish_amount, finish_unit, _ = d.policy
        sign_due = self.cal.add_duration(at, sign_amount, sign_unit)
        finish_due = max(sign_due, self.cal.add_duration(at, finish_amount, finish_unit))
        created = []
        for unit_id, role in [(lead_id, "lead")] + [(u, "assisting") for u in assisting]:
            a = A()
            a.id, a.demand_id, a.unit_id, a.role, a.status = (
                len(self.assignments) + 1,
                d.id,
                unit_id,
                role,
                "pending_sign",
            )
            a.dispatched_at, a.dispatched_by_id, a.sign_due, a.finish_due = at, actor, sign_due, finish_due
            a.signed_at = a.signed_by_id = a.signed_on_time = a.replied_at = a.sign_overdue_at = (
                a.finish_overdue_at
            ) = None
            a.reply_text, a.return_reason, a.instructions = "", "", instructions
            d.assignments.append(a)
            self.assignments.append(a)
            created.append(a)
        d.lead_unit_id, d.dispatched_at, d.sign_due, d.finish_due, d.is_overdue = (
            lead_id,
            at,
            sign_due,
            finish_due,
            False,
        )
        for a in created:
            self.plan(d, a, at)

    def dispatch(self, at, d: D, reason: str = "") -> None:
        """demand_dispatch, or demand_redispatch when a reason is given (after a return)."""
        rnd, city = self.rnd, self.city
        if d.status not in (("returned", "dispatched", "in_progress") if reason else ("registered",)):
            return
        actor = rnd.choice(city.dispatchers)
        if reason and rnd.random() < 0.5:  # the return showed the category was wrong
            cat = rnd.choice(city.cats)
            if cat.id != d.category_id:
                self.ev(
                    d,
                    "category_changed",
                    at,
                    actor=actor,
                    old={"category": d.cat.full_name},
                    new={"category": cat.full_name},
                )
                d.category_id, d.category_top_id, d.cat = cat.id, cat.top_id, cat
        lead = city.route[(d.category_id, d.community_id)]
        assisting = []
        if reason:
            returned = next(a.unit_id for a in reversed(d.assignments) if a.role == "lead")
            if lead == returned:
                lead = rnd.choice([u for u in [*city.departments, d.place.street_office_id] if u != returned])
        elif rnd.random() < 0.08:
            helper = (
                d.place.street_office_id if lead != d.place.street_office_id else rnd.choice(city.departments)
            )
            assisting = [helper] if helper != lead else []
        self.cancel_active(d, actor, at, reason or "改派")
        old = {"status": d.status, "lead_unit": city.units[d.lead_unit_id].name if d.lead_unit_id else ""}
        instructions = reason or rnd.choice(["请按时限办理。", ""])
        self.open_assignments(d, lead, assisting, actor, at, instructions)
        d.status = "dispatched"
        self.save(d)
        self.ev(
            d,
            "redispatched" if reason else "dispatched",
            at,
            actor=actor,
            old=old,
            note=instructions,
            new={
                "status": "dispatched",
                "lead_unit": city.units[lead].name,
                "assisting_units": [city.units[u].name for u in assisting],
                "sign_due": _iso(d.sign_due),
                "finish_due": _iso(d.finish_due),
            },
        )
        r = rnd.random()
        if not reason and r < 0.004:
            self.at(
                at + rnd.uniform(1, 72) * HOUR, self.end, d, "withdrawn", typed("诉求人已自行解决，申请撤销")
            )
        elif not reason and r < 0.007:
            self.at(at + rnd.uniform(10, 240) * MINUTE, self.end, d, "invalid", "经核实为无效诉求")

    # -- work in a unit (services/handling.py) --

    def sign_time(self, a: A, start) -> dt.datetime:
        if self.rnd.random() < 0.86 and a.sign_due > start:
            return start + (a.sign_due - start) * self.rnd.uniform(0.05, 0.95)
        return max(start, a.sign_due) + self.rnd.expovariate(1 / 5) * HOUR + 2 * MINUTE

    def reply_time(self, a: A, start) -> dt.datetime:
        if self.rnd.random() < 0.82 and a.finish_due > start:
            return start + (a.finish_due - start) * self.rnd.uniform(0.05, 0.97)
        return max(start, a.finish_due) + self.rnd.expovariate(1 / 2.5) * DAY + 5 * MINUTE

    def plan(self, d: D, a: A, at) -> None:
        """What a newly dispatched assignment's unit will do first: sign, return it, or nothing at all."""
        r = self.rnd.random()
        if a.role == "assisting":
            if r > 0.05:
                self.at(self.sign_time(a, at), self.sign, d, a)
        elif r < 0.055 and r >= 0.015:
            self.at(
                at + max(a.sign_due - at, 10 * MINUTE) * self.rnd.uniform(0.1, 1.5),
                self.return_,
                d,
                a,
                r < 0.039,
            )
        elif r >= 0.015:  # else never signed
            self.at(self.sign_time(a, at), self.sign, d, a)

    def sign(self, at, d: D, a: A) -> None:
        if (
            d.status not in (("dispatched",) if a.role == "lead" else ("dispatched", "in_progress"))
            or a.status != "pending_sign"
        ):
            return
        rnd, unit = self.rnd, self.city.units[a.unit_id]
        actor = unit.handler_id if rnd.random() < 0.85 else unit.supervisor_id
        a.status, a.signed_at, a.signed_by_id, a.signed_on_time = "signed", at, actor, at <= a.sign_due
        old = d.status
        if a.role == "lead":
            d.status = "in_progress"
        self.save(d)
        self.ev(
            d,
            "signed",
            at,
            actor=actor,
            a=a,
            old={"status": old},
            new={"status": d.status, "unit": unit.name, "role": a.role, "on_time": a.signed_on_time},
        )
        r = rnd.random()
        if a.role == "assisting":
            if r < 0.95:
                self.at(at + max(a.finish_due - at, HOUR) * rnd.uniform(0.05, 0.8), self.reply, d, a)
        elif 0.085 <= r < 0.125 and a.finish_due > at:
            self.at(at + (a.finish_due - at) * rnd.uniform(0.3, 0.9), self.extension_request, d, a)
        elif r >= 0.085:  # else stuck: never replied
            self.at(self.reply_time(a, at), self.reply, d, a)

    def return_(self, at, d: D, a: A, direct: bool) -> None:
        """assignment_return: a supervisor's return takes effect at once; a handler's waits for the supervisor."""
        if d.status not in ("dispatched", "in_progress") or a.status not in ("pending_sign", "signed"):
            return
        unit = self.city.units[a.unit_id]
        a.return_reason = typed("不属于本单位职责范围，请改派。")
        if direct:
            return self.apply_return(at, d, a, unit.supervisor_id, a.return_reason)
        old, a.status = a.status, "return_requested"
        self.save(d)
        self.ev(
            d,
            "return_requested",
            at,
            actor=unit.handler_id,
            a=a,
            old={"assignment_status": old},
            new={"assignment_status": "return_requested", "unit": unit.name},
            note=a.return_reason,
        )
        self.at(at + self.rnd.uniform(0.5, 20) * HOUR, self.return_decide, d, a, self.rnd.random() < 0.85)

    def return_decide(self, at, d: D, a: A, approve: bool) -> None:
        if d.status not in ("dispatched", "in_progress") or a.status != "return_requested":
            return
        unit = self.city.units[a.unit_id]
        if approve:
            return self.apply_return(at, d, a, unit.supervisor_id, a.return_reason + "（审核：同意退回）")
        a.status = "signed" if a.signed_at else "pending_sign"
        self.save(d)
        self.ev(
            d,
            "return_rejected",
            at,
            actor=unit.supervisor_id,
            a=a,
            old={"assignment_status": "return_requested"},
            new={"assignment_status": a.status},
            note=typed("属于本单位职责，请办理"),
        )
        if a.status == "pending_sign":
            self.at(at + self.rnd.uniform(5, 120) * MINUTE, self.sign, d, a)
        else:
            self.at(self.reply_time(a, at), self.reply, d, a)

    def apply_return(self, at, d: D, a: A, actor, note: str) -> None:
        old = {"status": d.status, "assignment_status": a.status}
        a.status = "returned"
        d.status, d.return_count = "returned", d.return_count + 1  # only lead assignments are returned here
        d.lead_unit_id = d.sign_due = d.finish_due = None
        self.save(d)
        self.ev(
            d,
            "returned",
            at,
            actor=actor,
            a=a,
            old=old,
            new={"status": d.status, "unit": self.city.units[a.unit_id].name, "role": a.role},
            note=note,
        )
        r = self.rnd.random()
        if r < 0.08:
            return  # waits for the dispatcher
        if r < 0.16:
            self.at(at + self.rnd.uniform(0.5, 8) * HOUR, self.end, d, "invalid", "经核实不属于受理范围")
        else:
            self.at(at + self.rnd.uniform(0.3, 10) * HOUR, self.dispatch, d, typed("原单位退回，改派"))

    def extension_request(self, at, d: D, a: A) -> None:
        if d.status != "in_progress" or a.status != "signed":
            return
        unit = self.city.units[a.unit_id]
        x = X()
        x.id, x.assignment, x.days, x.reason, x.status = (
            len(self.extensions) + 1,
            a,
            self.rnd.randint(3, 10),
            typed("需协调多个部门，申请延期"),
            "pending",
        )
        x.requested_by_id, x.requested_at, x.decided_by_id, x.decided_at, x.decision_note = (
            unit.handler_id,
            at,
            None,
            None,
            "",
        )
        x.old_due, x.new_due = a.finish_due, None
        self.extensions.append(x)
        self.save(d)
        self.ev(
            d,
            "extension_requested",
            at,
            actor=unit.handler_id,
            a=a,
            new={"extension": x, "days": x.days, "finish_due": _iso(a.finish_due)},
            note=x.reason,
        )
        self.at(at + self.rnd.uniform(1, 30) * HOUR, self.extension_decide, d, a, x, self.rnd.random() < 0.85)

    def extension_decide(self, at, d: D, a: A, x: X, approve: bool) -> None:
        if d.status != "in_progress" or a.status != "signed" or x.status != "pending":
            return
        x.decided_by_id, x.decided_at = self.city.units[a.unit_id].supervisor_id, at
        if approve:
            x.status, x.decision_note, x.new_due = (
                "approved",
                "同意延期",
                self.cal.add_working_days(a.finish_due, x.days),
            )
            a.finish_due = d.finish_due = x.new_due  # a lead assignment
            self.save(d)
            self.ev(
                d,
                "extension_approved",
                at,
                actor=x.decided_by_id,
                a=a,
                old={"finish_due": _iso(x.old_due)},
                new={"finish_due": _iso(x.new_due), "days": x.days},
                note=x.decision_note,
            )
        else:
            x.status, x.decision_note = "rejected", "请按原时限办结"
            self.save(d)
            self.ev(
                d,
                "extension_rejected",
                at,
                actor=x.decided_by_id,
                a=a,
                new={"extension": x},
                note=x.decision_note,
            )
        self.at(self.reply_time(a, at), self.reply, d, a)

    def reply(self, at, d: D, a: A) -> None:
        lead = a.role == "lead"
        if (
            d.status not in (("in_progress",) if lead else ("dispatched", "in_progress"))
            or a.status != "signed"
        ):
            return
        rnd, unit = self.rnd, self.city.units[a.unit_id]
        result = rnd.choice(REPLIES)
        a.status, a.replied_at, a.reply_text = "replied", at, result
        old = d.status
        if lead:
            d.status, d.replied_at, d.reply_text = "replied", at, result
            d.finished_on_time = at <= d.finish_due
            d.callback_due = self.cal.add_working_days(at, d.policy[4])
        self.save(d)
        self.ev(
            d,
            "replied",
            at,
            actor=unit.handler_id,
            a=a,
            old={"status": old},
            note=result,
            new={"status": d.status, "unit": unit.name, "role": a.role, "on_time": at <= a.finish_due},
        )
        if not lead:
            return
        r = rnd.random()
        if r < 0.065:
            return  # waits for the callback
        if r < 0.105:
            self.at(at + rnd.uniform(2, 6) * DAY, self.close, d, typed("多次联系诉求人未接通，按规定归档"))
        elif r < 0.91 and d.callback_due > at:
            self.at(at + (d.callback_due - at) * rnd.uniform(0.05, 0.95), self.callback, d)
        else:
            self.at(max(at, d.callback_due) + rnd.expovariate(1 / 1.5) * DAY, self.callback, d)

    # -- after the reply (services/closing.py) --

    def callback(self, at, d: D) -> None:
        if d.status != "replied":
            return
        rnd = self.rnd
        resolved, r = rnd.random() < 0.9, rnd.random()
        if resolved:
            satisfaction = (
                "satisfied" if r < 0.78 else "basically" if r < 0.94 else "unsatisfied" if r < 0.96 else ""
            )
        else:
            satisfaction = (
                "satisfied" if r < 0.05 else "basically" if r < 0.25 else "unsatisfied" if r < 0.9 else ""
            )
        actor = rnd.choice(self.city.agents)
        note = "诉求人表示问题已解决。" if resolved else "诉求人表示问题仍未解决。"
        self.callbacks.append((d.id, at, actor, resolved, satisfaction, note, at <= d.callback_due))
        d.status, d.called_back_at, d.resolved, d.satisfaction = "called_back", at, resolved, satisfaction
        self.save(d)
        self.ev(
            d,
            "called_back",
            at,
            actor=actor,
            old={"status": "replied"},
            new={"status": "called_back", "resolved": resolved, "satisfaction": satisfaction},
            note=note,
        )
        if (not resolved or satisfaction == "unsatisfied") and d.reopen_count < 2 and rnd.random() < 0.55:
            self.at(at + rnd.uniform(0.2, 24) * HOUR, self.reopen, d)
        elif rnd.random() >= 0.045:  # else waits to be archived
            self.at(at + rnd.uniform(0.1, 24) * HOUR, self.close, d, "")

    def reopen(self, at, d: D) -> None:
        if d.status not in ("replied", "called_back"):
            return
        actor = self.rnd.choice(self.city.agents)
        replied = [a for a in d.assignments if a.role == "lead" and a.status == "replied"]
        lead = max(replied, key=lambda a: a.replied_at).unit_id if replied else d.lead_unit_id
        reason = typed("回访不满意，重新办理")
        self.cancel_active(d, actor, at, reason)
        old = {"status": d.status, "resolved": d.resolved, "satisfaction": d.satisfaction}
        self.open_assignments(d, lead, [], actor, at, reason)
        d.status, d.reopen_count = "dispatched", d.reopen_count + 1
        d.resolved, d.satisfaction, d.finished_on_time, d.callback_due, d.callback_overdue_at = (
            None,
            "",
            None,
            None,
            None,
        )
        self.save(d)
        self.ev(
            d,
            "reopened",
            at,
            actor=actor,
            old=old,
            note=reason,
            new={
                "status": "dispatched",
                "lead_unit": self.city.units[lead].name,
                "reopen_count": d.reopen_count,
                "finish_due": _iso(d.finish_due),
            },
        )

    def close(self, at, d: D, note: str) -> None:
        if d.status not in ("replied", "called_back") or (d.status == "replied" and not note):
            return
        actor = self.rnd.choice(self.city.agents)
        self.cancel_active(d, actor, at, "归档")
        old = d.status
        d.status, d.closed_at = "closed", at
        d.resolved_by_grassroots = bool(
            d.resolved and d.lead_unit_id and self.city.units[d.lead_unit_id].grassroots
        )
        self.save(d)
        self.ev(
            d,
            "closed",
            at,
            actor=actor,
            old={"status": old},
            new={"status": "closed", "resolved": d.resolved, "reopen_count": d.reopen_count},
            note=note,
        )

    # -- rows --

    def counts(self) -> dict[str, int]:
        return {
            "assignment": len(self.assignments),
            "extension": len(self.extensions),
            "callback": len(self.callbacks),
            "event": len(self.events),
            "resident": len(self.residents),
        }

    def rows(self, base: dict[str, int]) -> dict[str, tuple[tuple[str, ...], list]]:
        """Every row of the batch, given the last id taken in each table before it."""
        for a in self.assignments:
            a.id += base["assignment"]
        for x in self.extensions:
            x.id += base["extension"]
            x.assignment_id = x.assignment.id
        r0 = base["resident"]
        for d in self.demands:
            if d.complainant_id is not None and d.complainant_id < 0:
                d.complainant_id = r0 - d.complainant_id
        return {
            "org_resident": (
                RESIDENT_COLS,
                [
                    (r0 + i, name, f"1{3 + (r0 + i) % 7}{(r0 + i) * 7919 % 1_000_000_000:09d}", at)
                    for i, (name, at) in enumerate(self.residents, start=1)
                ],
            ),
            "demands_demand": (DEMAND_COLS, [_demand_row(d) for d in self.demands]),
            "demands_assignment": (ASSIGNMENT_COLS, [_assignment_row(a) for a in self.assignments]),
            "demands_extension": (EXTENSION_COLS, [_extension_row(x) for x in self.extensions]),
            "demands_callback": (
                CALLBACK_COLS,
                [(base["callback"] + i, *c) for i, c in enumerate(self.callbacks, start=1)],
            ),
            "demands_demandevent": (
                EVENT_COLS,
                [
                    (
                        base["event"] + i,
                        d_id,
                        a.id if a is not None else None,
                        kind,
                        actor,
                        at,
                        _j(old),
                        _j(new),
                        note,
                    )
                    for i, (d_id, a, kind, actor, at, old, new, note) in enumerate(self.events, start=1)
                ],
            ),
        }


def registration_times(rnd: random.Random, count: int, now: dt.datetime, tz) -> list[dt.datetime]:
    """Sorted instants over the last 13 months: more by day than at night, slowly growing."""
    hours = [
        0.2,
        0.1,
        0.1,
        0.1,
        0.1,
        0.2,
        0.5,
        1.5,
        3,
        4,
        4,
        3.5,
        2.5,
        3,
        3.5,
        3.5,
        3,
        2.5,
        2,
        2,
        1.5,
        1,
        0.6,
        0.3,
    ]
    hour_cum = list(itertools.accumulate(hours))
    start_day = (now - SPAN_DAYS * DAY).date()
    times = []
    while len(times) < count:
        day = start_day + dt.timedelta(days=int(SPAN_DAYS * rnd.random() ** 0.9))
        moment = dt.datetime.combine(
            day, dt.time(bisect.bisect(hour_cum, rnd.random() * hour_cum[-1])), tzinfo=tz
        )
        moment += dt.timedelta(seconds=rnd.random() * 3600)
        if moment < now - MINUTE:
            times.append(moment)
    times.sort()
    return times


# --- writing -----------------------------------------------------------------------------------------


class IdCounters:
    """The last id taken in each table, shared by the worker processes so that ids stay dense."""

    NAMES = ("assignment", "extension", "callback", "event", "resident")

    def __init__(self, ctx):
        self.values = ctx.Array("q", len(self.NAMES))

    def reserve(self, counts: dict[str, int]) -> dict[str, int]:
        with self.values.get_lock():
            base = {name: self.values[i] for i, name in enumerate(self.NAMES)}
            for i, name in enumerate(self.NAMES):
                self.values[i] += counts[name]
        return base

    def last(self, name: str) -> int:
        return self.values[self.NAMES.index(name)]


_COLUMN_TYPES: dict[str, list[int]] = {}


def _binary_copy_cursor(raw):
    """A cursor whose binary COPY takes jsonb as ready-made JSON text (the payloads are serialised by _j)."""
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class RawJsonb(Dumper):
        format = Format.BINARY
        oid = raw.adapters.types["jsonb"].oid

        def dump(self, obj):
            return b"\x01" + obj.encode()

    class JsonText(str):
        pass

    cur = raw.cursor()
    cur.adapters.register_dumper(JsonText, RawJsonb)  # registered by oid too: set_types() finds it for jsonb
    return cur


def write_rows(tables: dict[str, tuple[tuple[str, ...], list]]) -> None:
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        # Binary COPY: about twice as fast to encode as text for these rows (timestamps above all).
        connection.ensure_connection()
        with _binary_copy_cursor(connection.connection) as cur:
            cur.execute("SET synchronous_commit = off")
            for table, (cols, rows) in tables.items():
                if table not in _COLUMN_TYPES:
                    cur.execute(
                        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                        [table],
                    )
                    oids = dict(cur.fetchall())
                    _COLUMN_TYPES[table] = [oids[c] for c in cols]
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(_COLUMN_TYPES[table])
                    for row in rows:
                        copy.write_row(row)
        return
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cur:
        for table, (cols, rows) in tables.items():
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
            cur.executemany(
                sql, [tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row) for row in rows]
            )


_JOB: dict = {}  # set by main() before the worker processes fork


def run_batch(k: int) -> tuple[dict[str, int], Counter]:
    job = _JOB
    size, times, counters = job["batch"], job["times"], job["counters"]
    batch = Batch(
        job["city"],
        job["cal"],
        random.Random(job["seed"] * 1_000_003 + k),
        job["now"],
        first_id=k * size + 1,
        known_residents=counters.last("resident"),
        people=random.Random(f"{job['seed']}:{k}:people"),
    )
    for at in times[k * size : (k + 1) * size]:
        batch.live(batch.register(at))
    counts = batch.counts()
    write_rows(batch.rows(counters.reserve(counts)))
    return {"demands": len(batch.demands), **counts}, Counter(d.status for d in batch.demands)


# --- PostgreSQL: indexes and keys off while loading --------------------------------------------------


def schema_snapshot(cur) -> dict[str, list[tuple[str, str, str]]]:
    """What the load drops from the bulk tables, as (table, name, definition).

    Primary keys and check constraints stay. Partial indexes stay too: they are
    small, and PostgreSQL prints a recreated predicate differently, so the
    definitions could not be compared afterwards.
    """
    cur.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint
           WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f') ORDER BY 1, 2""",
        [list(BULK_TABLES)],
    )
    rows = cur.fetchall()
    cur.execute(
        """SELECT i.indrelid::regclass::text, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND i.indpred IS NULL
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
           ORDER BY 1, 2""",
        [list(BULK_TABLES)],
    )
    return {
        "unique": [r[:3] for r in rows if r[3] == "u"],
        "fkeys": [r[:3] for r in rows if r[3] == "f"],
        "indexes": [tuple(r) for r in cur.fetchall()],
    }


def schema_drop(cur, snap) -> None:
    for table, name, _ in snap["fkeys"] + snap["unique"]:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _, name, _ in snap["indexes"]:
        cur.execute(f'DROP INDEX "{name}"')


def _ddl(sql: str) -> None:
    from django.db import connection

    try:
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '256MB'")
            cur.execute(sql)
    finally:
        connection.close()


def schema_restore(snap, workers: int) -> None:
    """Indexes and unique keys on ``workers`` connections at once (largest tables first), then the foreign keys."""
    from concurrent.futures import ThreadPoolExecutor

    size = {
        t: i
        for i, t in enumerate(
            (
                "demands_demandevent",
                "demands_demand",
                "demands_assignment",
                "demands_callback",
                "org_resident",
            )
        )
    }
    builds = [(t, f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}') for t, n, d in snap["unique"]] + [
        (t, d) for t, _, d in snap["indexes"]
    ]
    builds.sort(key=lambda b: size.get(b[0], 9))
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(_ddl, [sql for _, sql in builds]))
    for table, name, definition in snap["fkeys"]:  # each locks the tables it joins: one at a time
        _ddl(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def invariant_checks() -> dict[str, int]:
    """Rows that break what the services guarantee; every count must be 0."""
    from django.db.models import Count, Exists, OuterRef

    from linli.demands.models import Assignment, Callback, Demand, DemandEvent

    active = list(ACTIVE)
    lead = Assignment.objects.filter(demand=OuterRef("pk"), role="lead")
    return {
        "handling_without_its_active_lead": Demand.objects.filter(status__in=["dispatched", "in_progress"])
        .filter(
            ~Exists(
                lead.filter(
                    status__in=active, unit_id=OuterRef("lead_unit_id"), finish_due=OuterRef("finish_due")
                )
            )
        )
        .count(),
        "final_with_active_assignment": Demand.objects.filter(
            status__in=["closed", "invalid", "withdrawn", "merged"]
        )
        .filter(Exists(Assignment.objects.filter(demand=OuterRef("pk"), status__in=active)))
        .count(),
        "several_active_leads": Assignment.objects.filter(role="lead", status__in=active)
        .values("demand_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "resolved_without_callback": Demand.objects.filter(
            status="closed", resolved=True, resolved_at_intake=False
        )
        .filter(~Exists(Callback.objects.filter(demand=OuterRef("pk"))))
        .count(),
        "overdue_without_stamp": Demand.objects.filter(is_overdue=True)
        .filter(~Exists(lead.filter(finish_overdue_at__isnull=False)))
        .count(),
        "without_registered_event": Demand.objects.filter(
            ~Exists(DemandEvent.objects.filter(demand=OuterRef("pk"), kind="registered"))
        ).count(),
    }


# --- main --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch", type=int, default=5000, help="demands per batch (one COPY per table)")
    parser.add_argument(
        "--workers", type=int, default=2, help="processes generating and copying batches (PostgreSQL)"
    )
    parser.add_argument(
        "--allow-sqlite",
        action="store_true",
        help=f"allow SQLite for a smoke test (at most {SQLITE_MAX:,} demands)",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="PostgreSQL: empty the org, dispatch, demand and analytics tables first",
    )
    parser.add_argument("--no-verify", action="store_true", help="skip the invariant queries at the end")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection, connections
    from django.utils import timezone

    from linli.demands.models import Demand
    from linli.org.models import Jurisdiction

    started = time.monotonic()
    vendor = connection.vendor
    if vendor == "sqlite" and not args.allow_sqlite:
        print(
            "refusing to run on SQLite: point DATABASE_URL at PostgreSQL (or pass --allow-sqlite for a smoke test)",
            file=sys.stderr,
        )
        return 2
    if vendor == "sqlite" and args.demands > SQLITE_MAX:
        print(
            f"on SQLite at most {SQLITE_MAX:,} demands (a smoke test), not {args.demands:,}", file=sys.stderr
        )
        return 2
    if vendor not in ("sqlite", "postgresql"):
        print(f"unsupported database {vendor}", file=sys.stderr)
        return 2
    if args.reset:
        if vendor != "postgresql":
            print("--reset is for PostgreSQL; on SQLite start from a new file", file=sys.stderr)
            return 2
        with connection.cursor() as cur:
            cur.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE ANY(%s) AND tablename <> %s",
                [["demands\\_%", "dispatch\\_%", "analytics\\_%", "org\\_%"], "demands_deadlinepolicy"],
            )
            tables = [r[0] for r in cur.fetchall()]
            cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        print(f"reset: emptied {len(tables)} tables", flush=True)
    if Demand.objects.exists() or Jurisdiction.objects.exists():
        print(
            "the database already has jurisdictions or demands: use a new database, or --reset",
            file=sys.stderr,
        )
        return 2

    rnd = random.Random(args.seed)
    tz = timezone.get_default_timezone()
    now = timezone.localtime(timezone.now(), tz)
    first = now - (SPAN_DAYS + 1) * DAY
    cal = FastCalendar(first.date() - 7 * DAY, now.date() + 200 * DAY)
    cal.self_check(random.Random(args.seed + 1), first, now - first)
    print(
        f"{vendor} database {connection.settings_dict['NAME']}; now {now:%Y-%m-%d %H:%M %Z}; calendar checked",
        flush=True,
    )

    t = time.monotonic()
    city = build_city(rnd)
    print(
        f"city built through the services in {time.monotonic() - t:.1f}s: {json.dumps(city.summary, ensure_ascii=False)}",
        flush=True,
    )

    ctx = multiprocessing.get_context("fork")
    workers = max(1, args.workers) if vendor == "postgresql" else 1
    _JOB.update(
        city=city,
        cal=cal,
        now=now,
        seed=args.seed,
        batch=args.batch,
        counters=IdCounters(ctx),
        times=registration_times(rnd, args.demands, now, tz),
    )
    snap = None
    if vendor == "postgresql":
        with connection.cursor() as cur:
            snap = schema_snapshot(cur)
            schema_drop(cur, snap)
        print(
            f"dropped {len(snap['indexes'])} indexes, {len(snap['unique'])} unique and {len(snap['fkeys'])} foreign keys "
            f"for the load; {workers} workers",
            flush=True,
        )
    load_started = time.monotonic()
    statuses: Counter = Counter()
    totals: Counter = Counter()
    batches = range((args.demands + args.batch - 1) // args.batch)
    pool = None
    try:
        connections.close_all()  # each worker opens its own connection
        pool = ctx.Pool(workers) if workers > 1 else None
        results = pool.imap_unordered(run_batch, batches) if pool else map(run_batch, batches)
        for done, (counts, mix) in enumerate(results, start=1):
            totals.update(counts)
            statuses.update(mix)
            if done % 20 == 0 or done == len(batches):
                elapsed = time.monotonic() - load_started
                print(
                    f"  {totals['demands']:>9,} demands  {totals['event']:>11,} events  {elapsed:7.1f}s  "
                    f"{totals['demands'] / elapsed:7,.0f} demands/s  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        if pool:
            pool.close()
            pool.join()
    finally:
        if pool:
            pool.terminate()
        if snap is not None:
            t = time.monotonic()
            schema_restore(snap, workers)
            with connection.cursor() as cur:
                if schema_snapshot(cur) != snap:
                    raise SystemExit("the recreated indexes and keys differ from the saved ones")
            print(
                f"indexes and keys recreated (every unique and foreign key checked) in {time.monotonic() - t:.1f}s",
                flush=True,
            )
    load_seconds = time.monotonic() - load_started

    if vendor == "postgresql":
        with connection.cursor() as cur:
            for table in BULK_TABLES:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(max(id), 1) FROM {table}))"
                )
            t = time.monotonic()
            cur.execute(f"VACUUM (ANALYZE) {', '.join(BULK_TABLES)}")
            cur.execute("ANALYZE")
        print(f"VACUUM ANALYZE in {time.monotonic() - t:.1f}s", flush=True)
    checks = {}
    if not args.no_verify:
        t = time.monotonic()
        checks = invariant_checks()
        print(f"invariants in {time.monotonic() - t:.1f}s (all must be 0): {checks}", flush=True)
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(
        u.ru_utime + u.ru_stime for u in usage
    )  # this process and the workers; the database's own time is not in it
    print(f"status mix (%): { {k: round(v * 100 / args.demands, 2) for k, v in statuses.most_common()} }")
    print(
        json.dumps(
            {
                "bench": "gen_demands",
                "database": vendor,
                "demands": totals["demands"],
                "seed": args.seed,
                "workers": workers,
                **{f"{k}s": totals[k] for k in IdCounters.NAMES},
                "load_s": round(load_seconds, 1),
                "total_s": round(time.monotonic() - started, 1),
                "python_cpu_s": round(cpu, 1),
                "load_avg": [round(x, 2) for x in os.getloadavg()],
                "invariant_violations": sum(checks.values()) if checks else None,
            },
            ensure_ascii=False,
        )
    )
    return 1 if any(checks.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
