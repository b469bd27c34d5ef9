"""The navigation each role sees: its workbench first, then what else it may use; "/" leads to the workbench.

The staff site is composed here, at the top of the house: the menu names pages of every app by URL name,
so no app below needs to know about the others' pages.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.org.permissions import is_staff_member
from linli.org.states import Role

# (url name, label, roles that see it; None = every signed-in staff member)
MENU = [
    ("web:intake", _("受理"), {Role.HOTLINE_AGENT, Role.DISPATCHER, Role.COMMUNITY_WORKER, Role.ADMIN}),
    ("web:queue", _("派单"), {Role.DISPATCHER, Role.HOTLINE_AGENT, Role.ADMIN}),
    ("web:inbox", _("待办"), {Role.UNIT_HANDLER, Role.UNIT_SUPERVISOR, Role.COMMUNITY_WORKER}),
    ("web:approvals", _("审批"), {Role.UNIT_SUPERVISOR}),
    ("web:callbacks", _("回访"), {Role.HOTLINE_AGENT, Role.DISPATCHER, Role.ADMIN}),
    ("web:demand_list", _("诉求查询"), None),
    ("web:demand_map", _("地图"), None),
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

# 赋能: community programs (公益活动) and the community workshop (社区工坊); a partner firm sees its own orders.
MENU += [
    (
        "programs:list",
        _("公益活动"),
        {Role.COMMUNITY_WORKER, Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN},
    ),
    (
        "workshop:orders",
        _("社区工坊"),
        {Role.COMMUNITY_WORKER, Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN, Role.PARTNER_FIRM},
    ),
]

# Everyone's own settings, last.
MENU += [("notify:preferences", _("通知设置"), None)]

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
    Role.PARTNER_FIRM: "workshop:orders",
    Role.INSTRUCTOR: "empower:home",
    Role.VOLUNTEER: "empower:me",
}


def menu_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"name": name, "url": reverse(name), "label": label}
        for name, label, roles in MENU
        if (roles is None and is_staff_member(user)) or (roles is not None and user.role in roles)
    ]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    return {"menu": menu_for(user), "current_view": current}


def home(request):
    """``/``: the sign-in page, or the first page of this person's role."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    return redirect(WORKBENCH.get(request.user.role, "web:demand_list"))
