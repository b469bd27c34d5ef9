"""The navigation each role sees: its workbench first, then what else it may use."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.org.states import EMPOWER_ROLES, Role

# (url name, label, roles that see it; None = every signed-in staff member)
MENU = [
    ("web:intake", _("受理"), {Role.HOTLINE_AGENT, Role.DISPATCHER, Role.COMMUNITY_WORKER, Role.ADMIN}),
    ("web:queue", _("派单"), {Role.DISPATCHER, Role.HOTLINE_AGENT, Role.ADMIN}),
    ("web:inbox", _("待办"), {Role.UNIT_HANDLER, Role.UNIT_SUPERVISOR, Role.COMMUNITY_WORKER}),
    ("web:approvals", _("审批"), {Role.UNIT_SUPERVISOR}),
    ("web:demand_list", _("诉求查询"), None),
    ("web:dashboard", _("统计分析"), None),
    (
        "web:dispatch_quality",
        _("派单质量"),
        {Role.DISPATCHER, Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN},
    ),
    ("web:hotspots", _("热点问题"), {Role.DISPATCHER, Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN}),
    (
        "web:topics",
        _("每月一题"),
        {
            Role.COORDINATION_OFFICE,
            Role.LEADER,
            Role.ADMIN,
            Role.DISPATCHER,
            Role.UNIT_HANDLER,
            Role.UNIT_SUPERVISOR,
        },
    ),
    # 夜访: planners (coordination office, street-office staff), cadres and community workers record, leaders read.
    (
        "visits:home",
        _("夜访"),
        {
            Role.COORDINATION_OFFICE,
            Role.LEADER,
            Role.ADMIN,
            Role.COMMUNITY_WORKER,
            Role.UNIT_HANDLER,
            Role.UNIT_SUPERVISOR,
        },
    ),
    ("visits:meetings", _("协调会"), {Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN, Role.DISPATCHER}),
    ("visits:actions", _("协调会事项"), {Role.UNIT_HANDLER, Role.UNIT_SUPERVISOR, Role.COMMUNITY_WORKER}),
]

# 准入: departments file requests, the office approves and keeps the catalogue, communities their tasks, leaders the ledger.
MENU += [
    ("access:requests", _("派发申请"), {Role.UNIT_HANDLER, Role.UNIT_SUPERVISOR}),
    ("access:approvals", _("准入审批"), {Role.COORDINATION_OFFICE, Role.ADMIN}),
    ("access:catalogue", _("事项清单"), {Role.COORDINATION_OFFICE, Role.ADMIN, Role.LEADER}),
    ("access:inbox", _("社区任务"), {Role.COMMUNITY_WORKER}),
    ("access:plaques", _("牌子"), {Role.COMMUNITY_WORKER}),
    ("access:certificates", _("证明"), {Role.COMMUNITY_WORKER}),
    ("access:ledger", _("减负台账"), {Role.LEADER, Role.COORDINATION_OFFICE, Role.ADMIN}),
    (
        "empower:home",
        _("赋能"),
        {Role.COMMUNITY_WORKER, Role.LEADER, Role.COORDINATION_OFFICE, Role.ADMIN, Role.INSTRUCTOR},
    ),
    ("empower:me", _("我的班次"), {Role.VOLUNTEER}),
]

# The first page after sign-in, per role.
WORKBENCH = {
    Role.HOTLINE_AGENT: "web:intake",
    Role.DISPATCHER: "web:queue",
    Role.UNIT_HANDLER: "web:inbox",
    Role.COMMUNITY_WORKER: "web:inbox",
    Role.UNIT_SUPERVISOR: "web:approvals",
    Role.COORDINATION_OFFICE: "web:dashboard",
    Role.LEADER: "web:dashboard",
    Role.ADMIN: "web:dashboard",
    Role.INSTRUCTOR: "empower:home",
    Role.VOLUNTEER: "empower:me",
}


def menu_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"name": name, "url": reverse(name), "label": label}
        for name, label, roles in MENU
        if (roles is None and user.role not in EMPOWER_ROLES) or (roles is not None and user.role in roles)
    ]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    return {"menu": menu_for(user), "current_view": current}
