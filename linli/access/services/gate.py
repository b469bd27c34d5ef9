"""The assignment gate: filing a request, matching it, the coordination office's decision, the deadline sweep."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from linli.access import selectors
from linli.access.errors import (
    AlreadyDecided,
    BadTarget,
    DeadlinePast,
    EmptyContent,
    NoTarget,
    NotDepartment,
    ReasonRequired,
    RequestNotFound,
)
from linli.access.matching import why_text
from linli.access.models import AccessRequest, CatalogueItem, Plaque, RequestEvent, Task
from linli.access.permissions import can_give_opinion, department_of, is_coordination, may_see_request
from linli.access.services.catalogue import draft_get_or_create
from linli.access.states import (
    APPROVAL_WORKING_DAYS,
    REQUEST_TRANSITIONS,
    TASK_TRANSITIONS,
    Decision,
    EventKind,
    ItemKind,
    RequestKind,
    RequestStatus,
    TaskStatus,
)
from linli.core import clock
from linli.core.calendar import add_working_days
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.transitions import moving, starting_from, transition_target
from linli.org.selectors import jurisdiction_list, jurisdiction_subtree_ids

LOCAL_LEVELS = ("community", "village")


def event_add(
    *, request: AccessRequest, kind: str, actor=None, reason: str = "", office: str = "", data=None
) -> RequestEvent:
    return RequestEvent.record(
        kind, actor=actor, request=request, office=office[:100], reason=reason, data=data or {}
    )


def targets_expand(target_ids: list[int]) -> list:
    """Communities and villages named, plus those inside any street or district named."""
    chosen = list(jurisdiction_list().filter(pk__in=set(target_ids)))
    if len(chosen) != len(set(target_ids)):
        raise BadTarget(details={"targets": sorted(set(target_ids) - {j.pk for j in chosen})})
    ids: set[int] = set()
    for j in chosen:
        ids.update([j.pk] if j.level in LOCAL_LEVELS else jurisdiction_subtree_ids(jurisdiction=j))
    return list(jurisdiction_list().filter(pk__in=ids, level__in=LOCAL_LEVELS).order_by("code"))


def _gate(*, kind: str, title: str, content: str, plaque_name: str, levels: set[str]):
    """(outcome, item id, score, explanation, version) for a new request."""
    version = selectors.catalogue_current()
    matcher = selectors.matcher_for(version) if version else None
    if matcher is None:
        return (
            "pending",
            None,
            0.0,
            {"reason": "no_catalogue", "why": why_text({"reason": "no_catalogue"})},
            None,
        )
    found = matcher.match(title=title, content=f"{plaque_name} {content}", target_levels=levels)
    if found.outcome == "refused" or kind != RequestKind.PLAQUE:
        return found.outcome, found.item_id, found.score, found.explanation, version
    standard = selectors.plaque_type_find(plaque_name)
    if standard is not None:
        basis = {"reason": "standard_plaque", "plaque": standard.name, "basis": standard.basis or "规范清单"}
        return "admitted", None, 1.0, {**basis, "why": why_text(basis)}, version
    basis = {"reason": "plaque_not_standard", "plaque": plaque_name}
    return "pending", None, 0.0, {**basis, "why": why_text(basis)}, version


def _deliver(req: AccessRequest, communities, status: str) -> None:
    Task.objects.bulk_create(
        [Task(request=req, community=c, status=status, created_at=clock.now()) for c in communities]
    )


def _hang_plaques(req: AccessRequest, community_ids) -> None:
    standard = selectors.plaque_type_find(req.plaque_name)
    Plaque.objects.bulk_create(
        [
            Plaque(
                community_id=cid,
                name=req.plaque_name,
                standard=standard,
                hung_by=req.department.name,
                hung_at=clock.today(),
                request=req,
            )
            for cid in community_ids
        ]
    )


@transaction.atomic
def request_file(
    *,
    actor,
    title: str,
    content: str,
    target_ids: list[int],
    deadline: dt.date,
    kind: str = RequestKind.TASK,
    reports_required: str = "",
    inspections_planned: int = 0,
    funded: bool = False,
    plaque_name: str = "",
) -> AccessRequest:
    """File a department's request; the gate admits it, refuses it or sends it to the coordination office."""
    department = department_of(actor)
    if department is None:
        raise NotDepartment()
    title, content, plaque_name = (title or "").strip(), (content or "").strip(), (plaque_name or "").strip()
    if not title or not content:
        raise EmptyContent()
    if kind not in RequestKind.values:
        raise ValidationFailed(details={"kind": kind})
    if kind == RequestKind.PLAQUE and not plaque_name:
        raise ValidationFailed("请填写牌子名称", "Name the plaque", details={"field": "plaque_name"})
    if not target_ids:
        raise NoTarget()
    now = clock.now()
    if deadline < clock.local_date(now):
        raise DeadlinePast(details={"deadline": deadline.isoformat()})
    communities = targets_expand(list(target_ids))
    if not communities:
        raise NoTarget()
    outcome, item_id, score, explanation, version = _gate(
        kind=kind,
        title=title,
        content=content,
        plaque_name=plaque_name,
        levels={c.level for c in communities},
    )
    status = {"admitted": RequestStatus.ADMITTED, "refused": RequestStatus.REFUSED}.get(
        outcome, RequestStatus.PENDING
    )
    req = AccessRequest.objects.create(
        kind=kind,
        department=department,
        filed_by=actor,
        title=title[:120],
        content=content,
        deadline=deadline,
        reports_required=(reports_required or "")[:300],
        inspections_planned=max(0, int(inspections_planned or 0)),
        funded=bool(funded),
        plaque_name=plaque_name[:80],
        status=status,
        filed_at=now,
        approval_due=add_working_days(now, APPROVAL_WORKING_DAYS)
        if status == RequestStatus.PENDING
        else None,
        decided_at=now if status != RequestStatus.PENDING else None,
        item_id=item_id,
        version=version,
        score=round(score, 4),
        explanation=explanation,
    )
    event_add(
        request=req,
        kind=EventKind.FILED,
        actor=actor,
        office=department.name,
        data={"targets": [c.pk for c in communities]},
    )
    event_add(
        request=req,
        kind={"admitted": EventKind.ADMITTED, "refused": EventKind.REFUSED}.get(outcome, EventKind.PENDING),
        reason=explanation.get("why", ""),
        data=explanation,
    )
    if status == RequestStatus.ADMITTED:
        _deliver(req, communities, TaskStatus.ADMITTED)
        if kind == RequestKind.PLAQUE:
            _hang_plaques(req, [c.pk for c in communities])
    elif status == RequestStatus.PENDING:
        _deliver(req, communities, TaskStatus.AWAITING)
    else:  # refused at the gate: the communities see what was stopped for them
        _deliver(req, communities, TaskStatus.WITHDRAWN)
    return req


def _locked(request_id: int, *, actor) -> AccessRequest:
    """The request, locked, if the actor may see it (a coordinator of another district gets a 404)."""
    req = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("department", "department__jurisdiction")
        .filter(pk=request_id)
        .first()
    )
    if req is None or not may_see_request(actor, req):
        raise RequestNotFound(details={"request_id": request_id})
    return req


@transaction.atomic
def request_opinion_add(*, actor, request_id: int, opinion: str, office: str = "") -> RequestEvent:
    """A reviewer of an office involved adds an opinion to a request awaiting approval."""
    if not can_give_opinion(actor):
        raise PermissionDenied()
    opinion = (opinion or "").strip()
    if not opinion:
        raise ReasonRequired()
    req = _locked(request_id, actor=actor)
    transition_target(REQUEST_TRANSITIONS, "opinion", req.status, error=AlreadyDecided)
    office = office or (actor.unit.name if getattr(actor, "unit", None) else actor.get_role_display())
    return event_add(request=req, kind=EventKind.OPINION, actor=actor, office=office, reason=opinion)


def _item_from_request(*, actor, req: AccessRequest) -> CatalogueItem:
    draft = draft_get_or_create(actor=actor)
    return CatalogueItem.objects.create(
        version=draft,
        code=f"A-N{req.pk:04d}",
        name=req.title,
        kind=ItemKind.ASSIST,
        basis=f"协调办审批同意（申请 #{req.pk}）",
        department=req.department,
        method=req.reports_required[:300],
        funding="随事转拨" if req.funded else "",
        keywords="",
        description=req.content,
    )


@transaction.atomic
def request_decide(*, actor, request_id: int, decision: str, reason: str = "") -> AccessRequest:
    """The coordination office approves (once, or onto the list) or rejects a request awaiting approval."""
    if not is_coordination(actor):
        raise PermissionDenied()
    if decision not in Decision.values:
        raise ValidationFailed(details={"decision": decision})
    reason = (reason or "").strip()
    if decision == Decision.REJECT and not reason:
        raise ReasonRequired()
    req = _locked(request_id, actor=actor)
    req.status = moving(
        transition_target(REQUEST_TRANSITIONS, decision, req.status, error=AlreadyDecided), decision
    )
    req.decided_at = clock.now()
    req.save(update_fields=["status", "decided_at"])
    data = {}
    if decision == Decision.APPROVE_LIST:
        item = _item_from_request(actor=actor, req=req)
        data = {"draft_item": item.code, "draft_version": item.version.number}
    event_add(
        request=req, kind=decision, actor=actor, office=actor.get_role_display(), reason=reason, data=data
    )
    # The request's tasks move with it: those still awaiting are withdrawn or admitted (a task its community
    # refused meanwhile stays refused).
    allowed, target = TASK_TRANSITIONS["withdraw" if decision == Decision.REJECT else "admit"]
    tasks = Task.objects.filter(request=req, status__in=allowed)
    ids = list(tasks.values_list("community_id", flat=True))
    tasks.update(status=target)
    if target == TaskStatus.ADMITTED and req.kind == RequestKind.PLAQUE:
        _hang_plaques(req, ids)
    return req


@transaction.atomic
def approval_sweep() -> int:
    """Escalate every request still awaiting approval past its 15-working-day limit; idempotent."""
    now = clock.now()
    due = list(
        AccessRequest.objects.select_for_update()
        .filter(
            status__in=starting_from(REQUEST_TRANSITIONS, "escalate"),
            approval_due__lt=now,
            escalated_at__isnull=True,
        )
        .order_by("pk")
    )
    for req in due:
        req.escalated_at = now
        req.save(update_fields=["escalated_at"])
        event_add(
            request=req,
            kind=EventKind.ESCALATED,
            reason=f"超过 {APPROVAL_WORKING_DAYS} 个工作日未审批，已提请协调机制办公室负责人督办",
            data={"due": req.approval_due.isoformat() if req.approval_due else ""},
        )
    return len(due)
