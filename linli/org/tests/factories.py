"""A small city for tests: one district, one street, two communities, units and a user per role."""

from __future__ import annotations

from dataclasses import dataclass, field

from linli.dispatch.services import category_create, dispatch_rule_set
from linli.org.models import Jurisdiction, Role, Unit, User
from linli.org.services import jurisdiction_create, staff_create, unit_create

PASSWORD = "Linli-test-2026"


@dataclass
class World:
    city: Jurisdiction
    district: Jurisdiction
    street: Jurisdiction
    community: Jurisdiction
    other_community: Jurisdiction
    cg: Unit  # 城管
    jj: Unit  # 交警
    committee: Unit  # 社区居委会
    street_office: Unit
    users: dict[str, User] = field(default_factory=dict)
    categories: dict[str, object] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]


def make_world() -> World:
    city = jurisdiction_create(code="3509", name="宁川市", level="city")
    district = jurisdiction_create(code="350902", name="榕城区", level="district", parent=city)
    street = jurisdiction_create(code="350902101", name="金涵乡", level="street", parent=district)
    community = jurisdiction_create(
        code="350902101001", name="金榕社区", level="community", parent=street, population=20000
    )
    other = jurisdiction_create(
        code="350902101002", name="涵江村", level="village", parent=street, population=3000
    )
    cg = unit_create(code="CG", name="区城管局", kind="department", jurisdiction=district)
    jj = unit_create(code="JJ", name="区交警大队", kind="department", jurisdiction=district)
    committee = unit_create(
        code="JR", name="金榕社区居委会", kind="community_committee", jurisdiction=community
    )
    street_office = unit_create(code="JH", name="金涵乡政府", kind="street_office", jurisdiction=street)
    w = World(city, district, street, community, other, cg, jj, committee, street_office)
    w.users = {
        "agent": staff_create(
            username="agent", password=PASSWORD, role=Role.HOTLINE_AGENT, display_name="话务员小林"
        ),
        "dispatcher": staff_create(
            username="dispatcher", password=PASSWORD, role=Role.DISPATCHER, display_name="派单员老陈"
        ),
        "cg_handler": staff_create(username="cg_handler", password=PASSWORD, role=Role.UNIT_HANDLER, unit=cg),
        "cg_boss": staff_create(username="cg_boss", password=PASSWORD, role=Role.UNIT_SUPERVISOR, unit=cg),
        "jj_handler": staff_create(username="jj_handler", password=PASSWORD, role=Role.UNIT_HANDLER, unit=jj),
        "worker": staff_create(
            username="worker", password=PASSWORD, role=Role.COMMUNITY_WORKER, unit=committee
        ),
        "coord": staff_create(username="coord", password=PASSWORD, role=Role.COORDINATION_OFFICE),
        "leader": staff_create(username="leader", password=PASSWORD, role=Role.LEADER, jurisdiction=district),
        "admin": staff_create(username="admin", password=PASSWORD, role=Role.ADMIN),
    }
    top = category_create(code="C1", name="城乡建设", parent=None)
    mid = category_create(code="C11", name="市政管理", parent=top)
    vendors = category_create(code="C111", name="占道经营", parent=mid)
    traffic_top = category_create(code="C2", name="交通运输", parent=None)
    traffic = category_create(code="C21", name="道路交通秩序", parent=traffic_top)
    dispatch_rule_set(category=mid, unit=cg)
    dispatch_rule_set(category=traffic_top, unit=jj)
    dispatch_rule_set(category=vendors, unit=committee, jurisdiction=community)
    w.categories = {
        "top": top,
        "mid": mid,
        "vendors": vendors,
        "traffic_top": traffic_top,
        "traffic": traffic,
    }
    return w
