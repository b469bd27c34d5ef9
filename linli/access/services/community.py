"""The community's side: refusing a task that did not pass the gate, reporting, plaques, certificates."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from linli.access import selectors
from linli.access.errors import (
    CertificateNotIssuable,
    PlaqueAlreadyRemoved,
    ReasonRequired,
    TaskNotFound,
    TaskTransitionNotAllowed,
)
from linli.access.matching import why_text
from linli.access.models import (
    AccessRequest,
    CadreCount,
    Certificate,
    CertificateIssue,
    Plaque,
    PlaqueType,
    Task,
)
from linli.access.permissions import community_id_of
from linli.access.services.gate import event_add
from linli.access.states import TASK_TRANSITIONS, CertificateList, EventKind, RequestStatus, TaskStatus
from linli.core import clock
from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.core.services import attachment_discard, attachment_store
from linli.core.transitions import moving, transition_target
from linli.org.selectors import unit_get

TASK_SUBJECT = "access_task"
REPORT_KINDS = ("image", "document")  # photos of the work, or the report itself as PDF, XLSX or DOCX


def refusal_rule(task: Task) -> str:
    """The sentence a community cites when it refuses a task that did not pass the gate."""
    version = selectors.catalogue_current()
    listed = f"《村（社区）工作事项清单》第{version.number}版" if version else "《村（社区）工作事项清单》"
    if task.request.status == RequestStatus.OUTSIDE:
        return f"该事项未经准入程序、不在{listed}内，依规定社区不予承接"
    return f"该事项尚未经协调机制办公室准入审批、不在{listed}内，依规定社区暂不承接"


def _task_locked(actor, task_id: int) -> Task:
    """Lock the request first, then the task: the same order as the office's decision, so the two never deadlock."""
    request_id = Task.objects.filter(pk=task_id).values_list("request_id", flat=True).first()
    if request_id is not None:
        AccessRequest.objects.select_for_update().filter(pk=request_id).first()
    task = Task.objects.select_for_update(of=("self",)).select_related("request").filter(pk=task_id).first()
    if task is None or community_id_of(actor) != task.community_id:
        raise TaskNotFound(details={"task_id": task_id})
    return task


def _move(task: Task, action: str) -> None:
    target = TASK_TRANSITIONS[action][1]
    task.status = moving(
        transition_target(
            TASK_TRANSITIONS,
            action,
            task.status,
            error=TaskTransitionNotAllowed,
            **{"from": task.status, "to": target},  # the details this error has always carried
        ),
        action,
    )


@transaction.atomic
def task_refuse(*, actor, task_id: int, reason: str = "") -> Task:
    """One click: refuse a task that did not pass the gate, citing the rule; the department sees it on its request."""
    task = _task_locked(actor, task_id)
    _move(task, "refuse")
    task.refused_at = clock.now()
    task.refusal_reason = (reason or "").strip() or refusal_rule(task)
    task.save(update_fields=["status", "refused_at", "refusal_reason"])
    event_add(
        request=task.request,
        kind=EventKind.COMMUNITY_REFUSED,
        actor=actor,
        office=task.community.name,
        reason=task.refusal_reason,
        data={"community_id": task.community_id, "task_id": task.pk},
    )
    return task


@transaction.atomic
def task_report(*, actor, task_id: int, note: str, uploads=()) -> Task:
    """Report on an admitted task; photos of the materials are kept with the task."""
    task = _task_locked(actor, task_id)
    note = (note or "").strip()
    if not note and not uploads:
        raise ValidationFailed("请填写报送说明或上传材料", "Write a note or attach the materials")
    _move(task, "report")
    stored = []
    try:
        for upload in uploads:
            stored.append(
                attachment_store(
                    subject_type=TASK_SUBJECT,
                    subject_id=task.pk,
                    upload=upload,
                    uploaded_by=actor,
                    kinds=REPORT_KINDS,
                )
            )
    except Exception:
        for attachment in stored:  # the rows roll back with the transaction; the files would stay behind
            attachment_discard(attachment)
        raise
    task.report_note = "\n".join(filter(None, [task.report_note, note]))
    task.reported_at = clock.now()
    task.save(update_fields=["status", "report_note", "reported_at"])
    event_add(
        request=task.request,
        kind=EventKind.REPORTED,
        actor=actor,
        office=task.community.name,
        reason=note,
        data={"task_id": task.pk, "files": len(uploads)},
    )
    return task


@transaction.atomic
def task_outside_record(
    *, actor, department_id: int, title: str, content: str = "", deadline: dt.date | None = None
) -> Task:
    """A community records a task a department gave it outside the gate (by phone, chat group …) so it can refuse it."""
    community_id = community_id_of(actor)
    if community_id is None:
        raise PermissionDenied()
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("请填写任务名称", "Name the task")
    try:
        department = unit_get(unit_id=department_id)
    except Exception as exc:
        raise NotFound(details={"department_id": department_id}) from exc
    now = clock.now()
    req = AccessRequest.objects.create(
        department=department,
        filed_by=actor,
        title=title[:120],
        content=(content or "").strip() or title,
        deadline=deadline or clock.local_date(now),
        status=RequestStatus.OUTSIDE,
        filed_at=now,
        explanation={"reason": "outside", "why": why_text({"reason": "outside"})},
    )
    event_add(
        request=req, kind=EventKind.FILED, actor=actor, office=department.name, reason="社区登记的清单外派发"
    )
    return Task.objects.create(
        request=req, community_id=community_id, status=TaskStatus.AWAITING, created_at=now
    )


@transaction.atomic
def plaque_type_save(*, name: str, basis: str = "") -> PlaqueType:
    plaque_type, _ = PlaqueType.objects.update_or_create(name=name.strip(), defaults={"basis": basis})
    return plaque_type


@transaction.atomic
def plaque_hang(*, actor, community_id: int, name: str, hung_by: str, hung_at: dt.date) -> Plaque:
    """Record a plaque already hanging (an inventory); new plaques from departments come through the gate."""
    name = (name or "").strip()
    if not name or not (hung_by or "").strip():
        raise ValidationFailed("请填写牌子名称和挂牌单位", "Name the plaque and who hung it")
    return Plaque.objects.create(
        community_id=community_id,
        name=name[:80],
        standard=selectors.plaque_type_find(name),
        hung_by=hung_by[:100],
        hung_at=hung_at,
    )


@transaction.atomic
def plaque_remove(*, actor, plaque_id: int, reason: str, on: dt.date | None = None) -> Plaque:
    plaque = Plaque.objects.select_for_update().filter(pk=plaque_id).first()
    own = community_id_of(actor)
    if (
        plaque is None
        or (own is not None and own != plaque.community_id)
        or (own is None and actor.role not in {"coordination_office", "admin"})
    ):
        raise NotFound(details={"plaque_id": plaque_id})
    if plaque.removed_at:
        raise PlaqueAlreadyRemoved()
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    plaque.removed_at = on or clock.today()
    plaque.removed_by = actor
    plaque.removal_reason = reason[:200]
    plaque.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    return plaque


@transaction.atomic
def certificate_save(
    *, name: str, listed: str, aliases: str = "", where_to_go: str = "", basis: str = "", cancelled_on=None
) -> Certificate:
    if listed not in CertificateList.values:
        raise ValidationFailed(details={"listed": listed})
    cert, _ = Certificate.objects.update_or_create(
        name=name.strip(),
        defaults={
            "listed": listed,
            "aliases": aliases,
            "where_to_go": where_to_go,
            "basis": basis,
            "cancelled_on": cancelled_on,
        },
    )
    return cert


@transaction.atomic
def certificate_issue_record(*, actor, certificate_id: int, count: int = 1) -> CertificateIssue:
    community_id = community_id_of(actor)
    if community_id is None:
        raise PermissionDenied()
    cert = Certificate.objects.filter(pk=certificate_id).first()
    if cert is None:
        raise NotFound(details={"certificate_id": certificate_id})
    if cert.listed != CertificateList.POSITIVE:
        raise CertificateNotIssuable(details={"where_to_go": cert.where_to_go})
    if not 1 <= int(count) <= 50:
        raise ValidationFailed("份数应在 1 到 50 之间", "Count must be 1-50")
    return CertificateIssue.objects.create(
        certificate=cert, community_id=community_id, issued_at=clock.now(), issued_by=actor, count=int(count)
    )


@transaction.atomic
def cadre_count_set(*, community_id: int, count: int, as_of: dt.date) -> CadreCount:
    if count < 1:
        raise ValidationFailed("人数至少为 1", "At least one cadre")
    row, _ = CadreCount.objects.update_or_create(
        community_id=community_id, as_of=as_of, defaults={"count": count}
    )
    return row
