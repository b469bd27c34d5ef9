"""Changing demands: one endpoint per service. Each parses, authorizes through ``access_demand``, calls one service
and answers with the updated detail. ``version`` in the body becomes the service's ``expected_version``."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Header, Status

from linli.core.idempotency import IDEMPOTENCY_HELP, request_fingerprint
from linli.demands import services as s
from linli.demands.api import present, staff_router
from linli.demands.errors import DemandNotFound
from linli.demands.permissions import access_demand
from linli.demands.schemas import (
    WRITE_ERRORS,
    CallbackIn,
    CategoryIn,
    CloseIn,
    DecisionIn,
    DemandDetailOut,
    DemandRegisterIn,
    DispatchIn,
    ExtensionIn,
    Id,
    MergeIn,
    ReasonIn,
    RedispatchIn,
    ReopenIn,
    ReplyIn,
    ResolveIn,
    VersionIn,
)
from linli.demands.selectors import extension_demand_id

router = staff_router


@router.post(
    "/demands", response={201: DemandDetailOut, **WRITE_ERRORS}, summary="受理登记 / Register a demand"
)
def demand_register(
    request,
    payload: DemandRegisterIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", description=IDEMPOTENCY_HELP),
):
    """话务员、派单员、社区干部登记诉求。答复即登记后的诉求详情，不含派单建议（`suggestion` 为 null），派单时读
    `GET /demands/{id}`。 / Agents, dispatchers and community workers register a demand. The answer is the new
    demand's detail without the dispatch suggestion (`suggestion` is null): whoever dispatches reads it with
    `GET /demands/{id}`."""
    actor = request.auth
    data = payload.model_dump(mode="json")
    answer = data.pop("answer", None)
    asked = {**data, "answer": answer} if answer is not None else data  # unchanged for a plain registration

    def detail(demand, _photos):
        # a stored answer must be plain JSON; without a key the detail goes straight to the response
        full = present.demand_registered(actor, demand)
        return present.as_json(full) if idempotency_key is not None else full

    submitted = s.demand_submit(
        actor=actor,
        answer=answer,
        once=s.Once(
            scope=f"user:{actor.pk}",
            key=idempotency_key,
            fingerprint=request_fingerprint(request.method, request.path, asked),
        ),
        receipt=detail,
        **data,
    )
    if submitted.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201, submitted.receipt)


def _detail(request, demand):
    return present.demand_full(request.auth, demand)


@router.post(
    "/demands/{demand_id}/resolve-at-intake",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="直接办结 / Resolve at intake",
)
def demand_resolve_at_intake(request, demand_id: Id, payload: ResolveIn):
    demand = access_demand(request.auth, demand_id)
    s.demand_resolve_at_intake(
        actor=request.auth, demand_id=demand.pk, answer=payload.answer, expected_version=payload.version
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/dispatch",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="派单 / Dispatch",
)
def demand_dispatch(request, demand_id: Id, payload: DispatchIn):
    """不指定主办单位时按派单目录。 / Without a lead unit, the dispatch catalogue decides."""
    demand = access_demand(request.auth, demand_id)
    s.demand_dispatch(
        actor=request.auth,
        demand_id=demand.pk,
        lead_unit_id=payload.lead_unit_id,
        assisting_unit_ids=payload.assisting_unit_ids,
        category_id=payload.category_id,
        instructions=payload.instructions,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/redispatch",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="改派 / Re-dispatch",
)
def demand_redispatch(request, demand_id: Id, payload: RedispatchIn):
    demand = access_demand(request.auth, demand_id)
    s.demand_redispatch(
        actor=request.auth,
        demand_id=demand.pk,
        lead_unit_id=payload.lead_unit_id,
        assisting_unit_ids=payload.assisting_unit_ids,
        category_id=payload.category_id,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/category",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="修改分类 / Change the category",
)
def demand_change_category(request, demand_id: Id, payload: CategoryIn):
    demand = access_demand(request.auth, demand_id)
    s.demand_change_category(
        actor=request.auth,
        demand_id=demand.pk,
        category_id=payload.category_id,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/assignments/{assignment_id}/sign",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="签收 / Sign",
)
def assignment_sign(request, demand_id: Id, assignment_id: Id, payload: VersionIn | None = None):
    demand = access_demand(request.auth, demand_id)
    version = payload.version if payload else None
    s.assignment_sign(
        actor=request.auth, demand_id=demand.pk, assignment_id=assignment_id, expected_version=version
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/assignments/{assignment_id}/return",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="退单 / Return",
)
def assignment_return(request, demand_id: Id, assignment_id: Id, payload: ReasonIn):
    """承办人申请退单待单位负责人审核；负责人退单立即生效。 / A handler's return waits for the supervisor; a supervisor's is immediate."""
    demand = access_demand(request.auth, demand_id)
    s.assignment_return(
        actor=request.auth,
        demand_id=demand.pk,
        assignment_id=assignment_id,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/assignments/{assignment_id}/return/decide",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="审核退单 / Decide a return request",
)
def assignment_return_decide(request, demand_id: Id, assignment_id: Id, payload: DecisionIn):
    demand = access_demand(request.auth, demand_id)
    s.assignment_return_decide(
        actor=request.auth,
        demand_id=demand.pk,
        assignment_id=assignment_id,
        approve=payload.approve,
        note=payload.note,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/assignments/{assignment_id}/extensions",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="申请延期 / Request an extension",
)
def extension_request(request, demand_id: Id, assignment_id: Id, payload: ExtensionIn):
    demand = access_demand(request.auth, demand_id)
    s.extension_request(
        actor=request.auth,
        demand_id=demand.pk,
        assignment_id=assignment_id,
        days=payload.days,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/extensions/{extension_id}/decide",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="审批延期 / Decide an extension",
)
def extension_decide(request, extension_id: Id, payload: DecisionIn):
    demand_id = extension_demand_id(extension_id=extension_id)
    if demand_id is None:
        raise DemandNotFound(details={"extension": extension_id})
    demand = access_demand(request.auth, demand_id)
    s.extension_decide(
        actor=request.auth,
        extension_id=extension_id,
        approve=payload.approve,
        note=payload.note,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/assignments/{assignment_id}/reply",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="办结反馈 / Reply with the result",
)
def assignment_reply(request, demand_id: Id, assignment_id: Id, payload: ReplyIn):
    demand = access_demand(request.auth, demand_id)
    s.assignment_reply(
        actor=request.auth,
        demand_id=demand.pk,
        assignment_id=assignment_id,
        result=payload.result,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/callback",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="回访 / Callback",
)
def demand_callback(request, demand_id: Id, payload: CallbackIn):
    demand = access_demand(request.auth, demand_id)
    s.demand_callback(
        actor=request.auth,
        demand_id=demand.pk,
        resolved=payload.resolved,
        satisfaction=payload.satisfaction,
        note=payload.note,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/reopen", response={200: DemandDetailOut, **WRITE_ERRORS}, summary="重办 / Reopen"
)
def demand_reopen(request, demand_id: Id, payload: ReopenIn):
    demand = access_demand(request.auth, demand_id)
    s.demand_reopen(
        actor=request.auth,
        demand_id=demand.pk,
        reason=payload.reason,
        lead_unit_id=payload.lead_unit_id,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/close", response={200: DemandDetailOut, **WRITE_ERRORS}, summary="归档 / Close"
)
def demand_close(request, demand_id: Id, payload: CloseIn):
    demand = access_demand(request.auth, demand_id)
    s.demand_close(
        actor=request.auth, demand_id=demand.pk, note=payload.note, expected_version=payload.version
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/merge",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="合并到主单 / Merge into a master",
)
def demand_merge(request, demand_id: Id, payload: MergeIn):
    user = request.auth
    demand = access_demand(user, demand_id)
    master = access_demand(user, payload.master_id)
    s.demand_merge(
        actor=user,
        demand_id=demand.pk,
        master_id=master.pk,
        note=payload.note,
        expected_version=payload.version,
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/invalid",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="标记无效 / Mark invalid",
)
def demand_mark_invalid(request, demand_id: Id, payload: ReasonIn):
    demand = access_demand(request.auth, demand_id)
    s.demand_mark_invalid(
        actor=request.auth, demand_id=demand.pk, reason=payload.reason, expected_version=payload.version
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/withdraw",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="撤销 / Withdraw",
)
def demand_withdraw(request, demand_id: Id, payload: ReasonIn):
    demand = access_demand(request.auth, demand_id)
    s.demand_withdraw(
        actor=request.auth, demand_id=demand.pk, reason=payload.reason, expected_version=payload.version
    )
    return _detail(request, demand)


@router.post(
    "/demands/{demand_id}/escalate",
    response={200: DemandDetailOut, **WRITE_ERRORS},
    summary="督办 / Escalate",
)
def demand_escalate(request, demand_id: Id, payload: ReasonIn):
    demand = access_demand(request.auth, demand_id)
    s.demand_escalate(
        actor=request.auth, demand_id=demand.pk, reason=payload.reason, expected_version=payload.version
    )
    return _detail(request, demand)
