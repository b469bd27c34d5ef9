"""The city (3 districts × 6 streets × 8 communities), built through the org and dispatch services."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from .texts import TYPES

BENCH_PASSWORD = "Linli-bench-2026"

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
