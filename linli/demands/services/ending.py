"""Ending a demand without a reply: invalid (无效) or withdrawn at the resident's request (撤销)."""

from __future__ import annotations

from django.db import transaction

from linli.core.text import clean_text
from linli.demands.errors import ReasonRequired
from linli.demands.models import Demand
from linli.demands.services._base import (
    check_demand_move,
    lock_demand,
    now,
    record,
    require_may,
    require_role,
    save_demand,
)
from linli.demands.services.routing import cancel_active
from linli.demands.states import EventKind
from linli.dispatch.services import signature_update


def _end(
    action: str, rule: str, kind: str, *, actor, demand_id: int, reason: str, expected_version: int | None
) -> Demand:
    require_role(actor, rule)
    reason = clean_text(reason)
    if not reason:
        raise ReasonRequired()
    demand = lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, rule, demand)
    target = check_demand_move(action, demand)
    at = now()
    cancel_active(demand, actor, at, reason=reason)
    old = {"status": demand.status}
    demand.status, demand.closed_at = target, at
    save_demand(demand, ["status", "closed_at"])
    record(demand, kind, actor=actor, at=at, old=old, new={"status": target}, note=reason)
    signature_update(demand_id=demand.pk, is_open=False)
    return demand


@transaction.atomic
def demand_mark_invalid(*, actor, demand_id: int, reason: str, expected_version: int | None = None) -> Demand:
    """Mark a demand invalid (无效: spam, abuse, no content); the reason is kept."""
    return _end(
        "mark_invalid",
        "invalid",
        EventKind.INVALID,
        actor=actor,
        demand_id=demand_id,
        reason=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def demand_withdraw(*, actor, demand_id: int, reason: str, expected_version: int | None = None) -> Demand:
    """Withdraw (撤销) at the resident's request; open assignments are withdrawn with it."""
    return _end(
        "withdraw",
        "withdraw",
        EventKind.WITHDRAWN,
        actor=actor,
        demand_id=demand_id,
        reason=reason,
        expected_version=expected_version,
    )
