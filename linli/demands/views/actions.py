"""The actions of the demand page: label, form and the service each one calls.

Whether a person may take an action now is not decided here: the page offers
what ``linli.demands.permissions.may`` allows (role, jurisdiction, unit and the
transition tables of ``demands/states.py``), and the service raises what
``permissions.refusal`` says under the row lock, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.errors import Conflict
from linli.demands import services as s
from linli.demands.errors import DemandNotFound
from linli.demands.permissions import RULES, may, refusal
from linli.demands.views import forms as f


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    form: type[f.VersionForm]
    # (user, demand, target, cleaned data, version) -> service call
    run: Callable[..., Any]
    danger: bool = False

    @property
    def per_assignment(self) -> bool:
        return RULES[self.name].target == "assignment"

    @property
    def per_extension(self) -> bool:
        return RULES[self.name].target == "extension"

    def allowed(self, user, demand, target) -> bool:
        return may(user, self.name, demand, target)

    def not_theirs(self, user, demand, target) -> bool:
        """Not this person's to do at all (answered 404, like an unknown action), as opposed to not now: a
        form sent after someone else acted goes on to the service, which says why (a conflict, in the form)."""
        error = refusal(user, self.name, demand, target)
        return error is not None and not isinstance(error, Conflict)


def _units(data) -> dict:
    """The lead unit, assisting units and category of a dispatch or re-dispatch form, as service arguments."""
    return {
        "lead_unit_id": data["lead_unit"].pk,
        "assisting_unit_ids": [u.pk for u in data["assisting_units"] or []],
        "category_id": data["category"].pk if data["category"] else None,
    }


def _merge(user, demand, target, data, version):
    from linli.demands.selectors import demand_id_for_code

    master_id = demand_id_for_code(user=user, code=data["master_code"])
    if master_id is None:
        raise DemandNotFound(details={"master_code": data["master_code"]})
    return s.demand_merge(
        actor=user, demand_id=demand.pk, master_id=master_id, note=data["note"], expected_version=version
    )


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "sign",
            _("签收"),
            f.VersionForm,
            lambda u, d, a, data, v: s.assignment_sign(
                actor=u, demand_id=d.pk, assignment_id=a.pk, expected_version=v
            ),
        ),
        Action(
            "reply",
            _("办结答复"),
            f.ReplyForm,
            lambda u, d, a, data, v: s.assignment_reply(
                actor=u, demand_id=d.pk, assignment_id=a.pk, result=data["result"], expected_version=v
            ),
        ),
        Action(
            "extension",
            _("申请延期"),
            f.ExtensionForm,
            lambda u, d, a, data, v: s.extension_request(
                actor=u,
                demand_id=d.pk,
                assignment_id=a.pk,
                days=data["days"],
                reason=data["reason"],
                expected_version=v,
            ),
        ),
        Action(
            "return",
            _("退单"),
            f.ReasonForm,
            lambda u, d, a, data, v: s.assignment_return(
                actor=u, demand_id=d.pk, assignment_id=a.pk, reason=data["reason"], expected_version=v
            ),
            danger=True,
        ),
        Action(
            "decide_return",
            _("审批退单"),
            f.DecisionForm,
            lambda u, d, a, data, v: s.assignment_return_decide(
                actor=u,
                demand_id=d.pk,
                assignment_id=a.pk,
                approve=data["decision"] == "approve",
                note=data["note"],
                expected_version=v,
            ),
        ),
        Action(
            "decide_extension",
            _("审批延期"),
            f.DecisionForm,
            lambda u, d, e, data, v: s.extension_decide(
                actor=u,
                extension_id=e.pk,
                approve=data["decision"] == "approve",
                note=data["note"],
                expected_version=v,
            ),
        ),
        Action(
            "resolve_at_intake",
            _("直接答复办结"),
            f.AnswerForm,
            lambda u, d, _t, data, v: s.demand_resolve_at_intake(
                actor=u, demand_id=d.pk, answer=data["answer"], expected_version=v
            ),
        ),
        Action(
            "dispatch",
            _("派单"),
            f.DispatchForm,
            lambda u, d, _t, data, v: s.demand_dispatch(
                actor=u, demand_id=d.pk, **_units(data), instructions=data["instructions"], expected_version=v
            ),
        ),
        Action(
            "redispatch",
            _("改派"),
            f.RedispatchForm,
            lambda u, d, _t, data, v: s.demand_redispatch(
                actor=u, demand_id=d.pk, **_units(data), reason=data["instructions"], expected_version=v
            ),
        ),
        Action(
            "callback",
            _("回访"),
            f.CallbackForm,
            lambda u, d, _t, data, v: s.demand_callback(
                actor=u,
                demand_id=d.pk,
                resolved=data["resolved"] == "yes",
                satisfaction=data["satisfaction"],
                note=data["note"],
                expected_version=v,
            ),
        ),
        Action(
            "reopen",
            _("重办"),
            f.ReopenForm,
            lambda u, d, _t, data, v: s.demand_reopen(
                actor=u,
                demand_id=d.pk,
                reason=data["reason"],
                lead_unit_id=data["lead_unit"].pk if data["lead_unit"] else None,
                expected_version=v,
            ),
        ),
        Action(
            "close",
            _("归档"),
            f.CloseForm,
            lambda u, d, _t, data, v: s.demand_close(
                actor=u, demand_id=d.pk, note=data["note"], expected_version=v
            ),
        ),
        Action(
            "merge",
            _("合并到另一诉求"),
            f.MergeForm,
            _merge,
        ),
        Action(
            "escalate",
            _("督办"),
            f.ReasonForm,
            lambda u, d, _t, data, v: s.demand_escalate(
                actor=u, demand_id=d.pk, reason=data["reason"], expected_version=v
            ),
        ),
        Action(
            "invalid",
            _("标记无效"),
            f.ReasonForm,
            lambda u, d, _t, data, v: s.demand_mark_invalid(
                actor=u, demand_id=d.pk, reason=data["reason"], expected_version=v
            ),
            danger=True,
        ),
        Action(
            "withdraw",
            _("撤销"),
            f.ReasonForm,
            lambda u, d, _t, data, v: s.demand_withdraw(
                actor=u, demand_id=d.pk, reason=data["reason"], expected_version=v
            ),
            danger=True,
        ),
    ]
}


# The order on the page: the step that moves the demand forward first, the exceptional ones last.
ORDER = (
    "sign",
    "reply",
    "decide_return",
    "decide_extension",
    "dispatch",
    "redispatch",
    "callback",
    "close",
    "resolve_at_intake",
    "extension",
    "return",
    "reopen",
    "merge",
    "escalate",
    "invalid",
    "withdraw",
)
ACTIONS = {name: ACTIONS[name] for name in ORDER}
# Opened on arrival when first in the list: the next step of the loop for this person.
FORWARD = frozenset({"sign", "reply", "decide_return", "decide_extension", "dispatch", "callback"})


@dataclass
class Offer:
    """One action offered on the page: for the demand, or for one assignment or extension of it."""

    action: Action
    target: Any
    form: f.VersionForm

    @property
    def forward(self) -> bool:
        return self.action.name in FORWARD

    @property
    def key(self) -> str:
        return f"{self.action.name}-{getattr(self.target, 'pk', 0) or 0}"


def targets(action: Action, demand) -> list:
    if action.per_assignment:
        return list(demand.assignments.all())
    if action.per_extension:
        return [e for a in demand.assignments.all() for e in a.extensions.all()]
    return [None]


def available_actions(user, demand, *, initial: dict | None = None) -> list[Offer]:
    offers = []
    for action in ACTIONS.values():
        for target in targets(action, demand):
            if action.allowed(user, demand, target):
                form = action.form(
                    initial={"version": demand.version, **(initial or {}).get(action.name, {})}
                )
                offers.append(Offer(action, target, form))
    return offers


def find_target(action: Action, demand, target_id: int | None):
    for target in targets(action, demand):
        if getattr(target, "pk", None) == target_id or (target is None and not target_id):
            return target
    raise DemandNotFound(details={"target": target_id})
