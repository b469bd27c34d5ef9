"""The work-order desk's writes: progress notes with files, unanswered callbacks, and batches.

A batch runs each demand through the same service, lock and checks as a single action, one transaction per
demand, and reports every item ("28 signed, 2 already taken by someone else"): never all-or-nothing, never
silent. Demands the person may not see are reported as not found, like a single action would.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from linli.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.core.services import attachment_discard, attachment_store
from linli.core.text import clean_text
from linli.demands.errors import ReasonRequired
from linli.demands.models import Assignment
from linli.demands.permissions import visible_demands
from linli.demands.services import closing, handling, routing
from linli.demands.services._base import lock_assignment, lock_demand, record, require_may, require_role
from linli.demands.states import ACTIVE_ASSIGNMENT_STATUSES, AssignmentStatus, EventKind

PROGRESS_SUBJECT = "demand_progress"
MAX_PROGRESS_FILES = 6
MAX_NOTE = 2000
BATCH_MAX = 200


class BatchTooLarge(ValidationFailed):
    code = "demand.batch_too_large"
    message_zh = "一次最多批量处理 200 件"
    message_en = "At most 200 demands in one batch"


class UnknownBatchAction(ValidationFailed):
    code = "demand.batch_unknown_action"
    message_zh = "不支持的批量操作"
    message_en = "This batch action does not exist"


def assignment_progress(
    *, actor, demand_id: int, assignment_id: int, note: str, public: bool = False, files=()
) -> int:
    """A handler's interim progress note (办理进展), with before/after photos or documents; returns the event id.

    A public note is shown to the resident on the tracking page; a private one stays on the demand page.
    """
    note = clean_text(note)[:MAX_NOTE]
    if not note:
        raise ReasonRequired("请填写办理进展", "Write what has been done so far")
    if len(files) > MAX_PROGRESS_FILES:
        raise ValidationFailed(
            "附件最多 6 个", "At most 6 files", details={"files": len(files), "max": MAX_PROGRESS_FILES}
        )
    require_role(actor, "progress")
    stored = []
    try:
        with transaction.atomic():
            demand = lock_demand(demand_id)
            assignment = lock_assignment(demand, assignment_id)
            require_may(actor, "progress", demand, assignment)
            for upload in files:
                stored.append(
                    attachment_store(
                        subject_type=PROGRESS_SUBJECT,
                        subject_id=assignment.pk,
                        upload=upload,
                        uploaded_by=actor,
                        kinds=("image", "document"),
                    )
                )
            event = record(
                demand,
                EventKind.PROGRESS,
                actor=actor,
                assignment=assignment,
                new={"public": bool(public), "unit": assignment.unit.name, "files": [a.pk for a in stored]},
                note=note,
            )
    except Exception:
        for attachment in stored:
            attachment_discard(attachment)
        raise
    return event.pk


@transaction.atomic
def demand_callback_unreachable(
    *, actor, demand_id: int, note: str = "", expected_version: int | None = None
) -> int:
    """A callback call nobody answered (未接通): recorded and counted; the demand stays waiting for its callback."""
    require_role(actor, "callback_unreachable")
    demand = lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, "callback_unreachable", demand)
    tries = demand.events.filter(kind=EventKind.CALLBACK_UNREACHABLE).count() + 1
    record(
        demand,
        EventKind.CALLBACK_UNREACHABLE,
        actor=actor,
        new={"attempt": tries},
        note=clean_text(note)[:500],
    )
    return tries


# ---- batches ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchItem:
    demand_id: int
    code: str
    outcome: str  # done | conflict | refused | not_found | invalid
    error_code: str = ""
    message: str = ""


@dataclass
class BatchResult:
    action: str
    items: list[BatchItem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(item.outcome for item in self.items))


def _own_active_assignment(actor, demand_id: int) -> int:
    row = (
        Assignment.objects.filter(
            demand_id=demand_id, unit_id=actor.unit_id, status__in=ACTIVE_ASSIGNMENT_STATUSES
        )
        .order_by("role", "id")
        .values_list("pk", "status")
        .first()
    )
    if row is None or row[1] != AssignmentStatus.PENDING_SIGN:
        # nothing of ours left to sign: somebody signed it, or it was withdrawn or re-dispatched meanwhile
        raise Conflict("已被他人签收或已改派", "Already signed by someone else, or re-dispatched")
    return row[0]


def _sign(actor, demand_id: int, params: dict):
    return handling.assignment_sign(
        actor=actor, demand_id=demand_id, assignment_id=_own_active_assignment(actor, demand_id)
    )


def _dispatch(actor, demand_id: int, params: dict):
    return routing.demand_dispatch(
        actor=actor,
        demand_id=demand_id,
        lead_unit_id=params.get("lead_unit_id"),
        assisting_unit_ids=list(params.get("assisting_unit_ids") or []),
        category_id=params.get("category_id"),
        instructions=params.get("instructions", ""),
    )


def _callback(actor, demand_id: int, params: dict):
    if params.get("outcome") == "unreachable":
        return demand_callback_unreachable(actor=actor, demand_id=demand_id, note=params.get("note", ""))
    return closing.demand_callback(
        actor=actor,
        demand_id=demand_id,
        resolved=bool(params.get("resolved")),
        satisfaction=params.get("satisfaction", ""),
        note=params.get("note", ""),
    )


def _close(actor, demand_id: int, params: dict):
    return closing.demand_close(actor=actor, demand_id=demand_id, note=params.get("note", ""))


BATCH_ACTIONS = {"sign": _sign, "dispatch": _dispatch, "callback": _callback, "close": _close}


def _outcome(exc: ApplicationError) -> str:
    if isinstance(exc, NotFound):
        return "not_found"
    if isinstance(exc, Conflict):
        return "conflict"
    if isinstance(exc, PermissionDenied):
        return "refused"
    return "invalid"


def demands_batch(*, actor, action: str, demand_ids: list[int], params: dict | None = None) -> BatchResult:
    """Run ``action`` on each demand as a single action would, each in its own transaction; report each item."""
    run = BATCH_ACTIONS.get(action)
    if run is None:
        raise UnknownBatchAction(details={"action": action, "allowed": sorted(BATCH_ACTIONS)})
    ids = list(dict.fromkeys(int(i) for i in demand_ids))
    if not ids:
        raise ValidationFailed("请先勾选诉求", "Select demands first", details={"demand_ids": []})
    if len(ids) > BATCH_MAX:
        raise BatchTooLarge(details={"count": len(ids), "max": BATCH_MAX})
    codes = dict(visible_demands(actor).filter(pk__in=ids).values_list("pk", "code"))
    result = BatchResult(action=action)
    for demand_id in ids:
        if demand_id not in codes:
            result.items.append(BatchItem(demand_id, "", "not_found", "not_found", "未找到，或无权查看"))
            continue
        try:
            with transaction.atomic():
                run(actor, demand_id, params or {})
        except ApplicationError as exc:
            result.items.append(
                BatchItem(demand_id, codes[demand_id], _outcome(exc), exc.code, str(exc.message_zh))
            )
        else:
            result.items.append(BatchItem(demand_id, codes[demand_id], "done"))
    return result
