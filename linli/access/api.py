"""准入 JSON endpoints under /api/v1/access/: catalogue, requests, certificate lookup (public), ledger."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status

from linli.access import ledger, selectors
from linli.access import services as s
from linli.access.errors import (
    AlreadyDecided,
    BadPeriod,
    BadTarget,
    DeadlinePast,
    EmptyContent,
    NoTarget,
    NotDepartment,
    ReasonRequired,
    RequestNotFound,
    TaskNotFound,
    TaskTransitionNotAllowed,
    VersionNotFound,
)
from linli.access.permissions import access_request, access_task, can_read_ledger, ledger_area
from linli.access.schemas import (
    CatalogueOut,
    CertificateLookupOut,
    DiffOut,
    LedgerOut,
    OpinionOut,
    RequestOut,
    TaskRefusedOut,
    VersionOut,
)
from linli.access.states import RequestKind
from linli.core.daterange import DateOutOfRange
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.ratelimit import PerAddressLimit
from linli.core.schemas import INVALID, RATE_LIMITED, READ, READ_DATES, WRITE, ErrorMap

router = Router(tags=["准入 access"])


class RequestIn(Schema):
    title: str
    content: str
    target_ids: list[int]
    deadline: dt.date
    kind: str = RequestKind.TASK
    reports_required: str = ""
    inspections_planned: int = 0
    funded: bool = False
    plaque_name: str = ""


class RequestDecisionIn(Schema):
    decision: str
    reason: str = ""


class OpinionIn(Schema):
    opinion: str
    office: str = ""


class RefuseIn(Schema):
    reason: str = ""


# The errors each endpoint can answer (besides a 500 or a 503 when the database is away).
DIFF_ERRORS = READ(VersionNotFound)
FILE_ERRORS = WRITE(
    NotDepartment, ValidationFailed, EmptyContent, NoTarget, BadTarget, DeadlinePast, DateOutOfRange
)
REQUEST_ERRORS = READ(RequestNotFound)
DECIDE_ERRORS = WRITE(PermissionDenied, RequestNotFound, AlreadyDecided, ValidationFailed, ReasonRequired)
OPINION_ERRORS = WRITE(PermissionDenied, RequestNotFound, AlreadyDecided, ReasonRequired)
REFUSE_ERRORS = WRITE(TaskNotFound, TaskTransitionNotAllowed)
LOOKUP_ERRORS = ErrorMap(INVALID, RATE_LIMITED)
LEDGER_ERRORS = READ_DATES(PermissionDenied, BadPeriod)


def _item(it) -> dict:
    return {
        "code": it.code,
        "name": it.name,
        "kind": it.kind,
        "basis": it.basis,
        "department": it.department_label,
        "method": it.method,
        "funding": it.funding,
        "applies_to": it.applies_to,
        "effective_from": it.effective_from,
        "effective_to": it.effective_to,
    }


def _request(req) -> dict:
    return {
        "id": req.pk,
        "kind": req.kind,
        "title": req.title,
        "content": req.content,
        "department": req.department.name,
        "status": req.status,
        "status_label": req.get_status_display(),
        "deadline": req.deadline,
        "filed_at": req.filed_at,
        "approval_due": req.approval_due,
        "escalated": req.escalated_at is not None,
        "working_days_left": selectors.countdown(req),
        "match": req.explanation,
        "tasks": [
            {"community": t.community.name, "status": t.status, "refusal_reason": t.refusal_reason}
            for t in selectors.request_tasks(request=req)
        ],
        "events": [
            {"kind": e.kind, "actor": str(e.actor or ""), "office": e.office, "at": e.at, "reason": e.reason}
            for e in selectors.request_events(request=req)
        ],
    }


@router.get(
    "/catalogue",
    response={200: CatalogueOut, **READ.responses},
    openapi_extra=READ.openapi,
    summary="现行事项清单 / Current catalogue",
)
def catalogue_items(request, kind: str | None = None, q: str = ""):
    version = selectors.catalogue_current()
    if version is None:
        return {"version": None, "items": []}
    return {
        "version": version.number,
        "items": [_item(i) for i in selectors.item_list(version=version, kind=kind, q=q)],
    }


@router.get(
    "/catalogue/versions",
    response={200: list[VersionOut], **READ.responses},
    openapi_extra=READ.openapi,
    summary="清单版本 / Catalogue versions",
)
def catalogue_versions(request):
    return [
        {
            "number": v.number,
            "status": v.status,
            "effective_from": v.effective_from,
            "items": v.item_count,
            "note": v.note,
        }
        for v in selectors.version_list()
    ]


@router.get(
    "/catalogue/diff",
    response={200: DiffOut, **DIFF_ERRORS.responses},
    openapi_extra=DIFF_ERRORS.openapi,
    summary="比较两个版本 / Compare two versions",
)
def catalogue_diff(request, old: int, new: int):
    return selectors.catalogue_diff(
        old=selectors.version_get(number=old), new=selectors.version_get(number=new)
    )


@router.post(
    "/requests",
    response={201: RequestOut, **FILE_ERRORS.responses},
    openapi_extra=FILE_ERRORS.openapi,
    summary="提交派发申请 / File an assignment request",
)
def request_file(request, payload: RequestIn):
    req = s.request_file(actor=request.auth, **payload.dict())
    return Status(201, _request(req))


@router.get(
    "/requests/{request_id}",
    response={200: RequestOut, **REQUEST_ERRORS.responses},
    openapi_extra=REQUEST_ERRORS.openapi,
    summary="申请详情 / A request",
)
def request_get(request, request_id: int):
    return _request(access_request(request.auth, request_id))


@router.post(
    "/requests/{request_id}/decide",
    response={200: RequestOut, **DECIDE_ERRORS.responses},
    openapi_extra=DECIDE_ERRORS.openapi,
    summary="协调办审批 / Decide",
)
def request_decide(request, request_id: int, payload: RequestDecisionIn):
    access_request(request.auth, request_id)
    return _request(s.request_decide(actor=request.auth, request_id=request_id, **payload.dict()))


@router.post(
    "/requests/{request_id}/opinions",
    response={201: OpinionOut, **OPINION_ERRORS.responses},
    openapi_extra=OPINION_ERRORS.openapi,
    summary="会签意见 / Add an opinion",
)
def request_opinion(request, request_id: int, payload: OpinionIn):
    access_request(request.auth, request_id)
    e = s.request_opinion_add(actor=request.auth, request_id=request_id, **payload.dict())
    return Status(201, {"kind": e.kind, "office": e.office, "reason": e.reason, "at": e.at})


@router.post(
    "/tasks/{task_id}/refuse",
    response={200: TaskRefusedOut, **REFUSE_ERRORS.responses},
    openapi_extra=REFUSE_ERRORS.openapi,
    summary="社区拒绝未准入任务 / Refuse a task",
)
def task_refuse(request, task_id: int, payload: RefuseIn):
    access_task(request.auth, task_id)
    t = s.task_refuse(actor=request.auth, task_id=task_id, reason=payload.reason)
    return {"id": t.pk, "status": t.status, "refusal_reason": t.refusal_reason}


@router.get(
    "/public/certificates",
    response={200: CertificateLookupOut, **LOOKUP_ERRORS.responses},
    openapi_extra=LOOKUP_ERRORS.openapi,
    auth=None,
    throttle=PerAddressLimit("public_certificates", 60),
    summary="证明事项查询（公开） / Which certificates a community issues (public)",
)
def certificate_lookup(request, q: str = Query("", max_length=60)):
    return {"query": q, "results": selectors.certificate_lookup(query=q)}


@router.get(
    "/ledger",
    response={200: LedgerOut, **LEDGER_ERRORS.responses},
    openapi_extra=LEDGER_ERRORS.openapi,
    by_alias=True,  # the keys "from" and "to"
    summary="减负台账 / Burden ledger",
)
def ledger_get(request, date_from: dt.date, date_to: dt.date):
    if not can_read_ledger(request.auth):
        raise PermissionDenied()
    return ledger.ledger_compute(date_from=date_from, date_to=date_to, area=ledger_area(request.auth))
