"""The demo city, built through the services from the data files.

宁川市 has two districts. 蕉湾区 holds 金溪乡, whose 金榕社区 (7 compounds,
about 20,000 residents, 9 cadres, the 6,500-pupil 第二实验学校) lives with
the school-gate traffic and vendor hotspot. 香岸区 holds 翠湖街道, whose
紫荆社区 and its large compound 五洲花苑 turned riders' night-visit
complaints into a rider-friendly model.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.test.utils import override_settings

from linli.demo.data import read_rows, read_text
from linli.dispatch.selectors import category_list
from linli.dispatch.services import category_import_csv, crosswalk_import, dispatch_rule_set
from linli.org.services import jurisdiction_create, staff_create, unit_create
from linli.org.states import Role, UnitKind

CITY_CODE = "3597"
TOWNSHIP_CODE = "359702201"  # 金溪乡
JINRONG_CODE = "359702201001"  # 金榕社区
ZIJING_CODE = "359703001001"  # 紫荆社区
DEMO_PASSWORD = "linli2026"

SCHOOL_GATE = "交通运输/道路交通秩序/校园周边交通拥堵"
VENDORS = "城乡建设/市容环境/占道经营"
RIDERS = "物业管理/小区设施/骑手进出小区"
HOTSPOT_LEAVES = (SCHOOL_GATE, VENDORS)

# District-level departments exist once per district (JW-CG, XA-CG …); the prefix is the district's.
DISTRICT_PREFIX = {"359702": "JW", "359703": "XA"}


@dataclass(eq=False)
class Community:
    """A community or village with what the demo needs to write about it."""

    j: Any
    street: Any
    district: Any
    weight: float
    lat: float
    lng: float
    school: str
    places: list[str]
    roads: list[str]
    committee: Any = None
    workers: list = field(default_factory=list)

    @property
    def is_village(self) -> bool:
        return self.j.level == "village"

    @property
    def in_township(self) -> bool:
        return self.street.code == TOWNSHIP_CODE

    @property
    def prefix(self) -> str:
        return DISTRICT_PREFIX[self.district.code]


@dataclass(frozen=True)
class Leaf:
    category: Any
    path: str
    name: str
    level2: str
    level1: str
    weight: float
    scope: str  # "", "urban" (communities only) or "village"

    def fits(self, community: Community) -> bool:
        return not self.scope or (self.scope == "village") == community.is_village


@dataclass
class World:
    jurisdictions: dict[str, Any]
    units: dict[str, Any]
    users: dict[str, Any]
    communities: list[Community]
    leaves: dict[str, Leaf]
    handlers: dict[int, list] = field(default_factory=dict)
    supervisors: dict[int, Any] = field(default_factory=dict)
    rules: int = 0

    def community(self, code: str) -> Community:
        return next(c for c in self.communities if c.j.code == code)

    def role(self, role: str) -> list:
        return [u for u in self.users.values() if u.role == role]

    @cached_property
    def units_by_id(self) -> dict[int, Any]:
        return {u.pk: u for u in self.units.values()}


@contextlib.contextmanager
def demo_password_hashing() -> Iterator[None]:
    """Hash the shared demo password cheaply (see ``linli.demo.hashers``)."""
    with override_settings(
        PASSWORD_HASHERS=["linli.demo.hashers.DemoPasswordHasher", *settings.PASSWORD_HASHERS]
    ):
        yield


def demo_usernames() -> list[str]:
    return [r["username"] for r in read_rows("staff.csv")]


def world_build() -> World:
    jurisdictions: dict[str, Any] = {}
    for r in read_rows("jurisdictions.csv"):
        parent = jurisdictions[r["parent"]] if r["parent"] else None
        jurisdictions[r["code"]] = jurisdiction_create(
            code=r["code"],
            name=r["name"],
            level=r["level"],
            parent=parent,
            population=int(r["population"] or 0),
        )
    units = {
        r["code"]: unit_create(
            code=r["code"], name=r["name"], kind=r["kind"], jurisdiction=jurisdictions[r["jurisdiction"]]
        )
        for r in read_rows("units.csv")
    }
    with demo_password_hashing():
        users = {
            r["username"]: staff_create(
                username=r["username"],
                password=DEMO_PASSWORD,
                role=r["role"],
                display_name=r["display_name"],
                unit=units[r["unit"]] if r["unit"] else None,
                jurisdiction=jurisdictions[r["jurisdiction"]] if r["jurisdiction"] else None,
            )
            for r in read_rows("staff.csv")
        }
    world = World(jurisdictions, units, users, _communities(jurisdictions, units), _categories())
    for user in users.values():
        if user.role in (Role.UNIT_HANDLER, Role.COMMUNITY_WORKER):
            world.handlers.setdefault(user.unit_id, []).append(user)
        elif user.role == Role.UNIT_SUPERVISOR:
            world.supervisors[user.unit_id] = user
    for c in world.communities:
        c.workers = world.handlers.get(c.committee.pk, [])
    world.rules = _dispatch_catalogue(world)
    # The starter corpus's reference labels reach this tree through the demo's crosswalk.
    crosswalk_import(name="crosswalk.csv", content=read_text("crosswalk.csv").encode("utf-8"))
    return world


def _communities(jurisdictions: dict[str, Any], units: dict[str, Any]) -> list[Community]:
    committees = {
        u.jurisdiction.code: u
        for u in units.values()
        if u.kind in (UnitKind.COMMUNITY_COMMITTEE, UnitKind.VILLAGE_COMMITTEE)
    }
    out = []
    for r in read_rows("jurisdictions.csv"):
        if r["level"] not in ("community", "village"):
            continue
        j = jurisdictions[r["code"]]
        street = jurisdictions[r["parent"]]
        out.append(
            Community(
                j=j,
                street=street,
                district=jurisdictions[street.parent.code],
                weight=float(r["weight"]),
                lat=float(r["lat"]),
                lng=float(r["lng"]),
                school=r["school"],
                places=r["places"].split(";"),
                roads=r["roads"].split(";"),
                committee=committees[r["code"]],
            )
        )
    return out


def _categories() -> dict[str, Leaf]:
    category_import_csv(source=read_text("categories.csv"))
    by_path = {c.full_name: c for c in category_list()}
    leaves = {}
    for r in read_rows("categories.csv"):
        path = f"{r['level1']}/{r['level2']}/{r['level3']}"
        leaves[path] = Leaf(
            by_path[path],
            path,
            r["level3"],
            f"{r['level1']}/{r['level2']}",
            r["level1"],
            float(r["weight"]),
            r["scope"],
        )
    return leaves


def _dispatch_catalogue(world: World) -> int:
    by_path = {c.full_name: c for c in category_list()}
    rows = read_rows("dispatch.csv")
    for r in rows:
        dispatch_rule_set(
            category=by_path[r["category"]],
            unit=world.units[r["unit"]],
            jurisdiction=world.jurisdictions[r["area"]] if r["area"] else None,
            note=r["note"],
        )
    return len(rows)
