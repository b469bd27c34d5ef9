"""夜访 JSON endpoints under /api/v1/visits/: campaigns, rounds and plans, visits (idempotent), meetings, report."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Router, Schema, Status

from linli.core.daterange import DateOutOfRange
from linli.core.errors import PermissionDenied
from linli.core.schemas import READ, WRITE
from linli.demands.errors import ActionForbidden, BadDemand
from linli.org.errors import UnknownJurisdiction
from linli.visits import selectors as sel
from linli.visits import services as s
from linli.visits.errors import (
    ActionItemNotFound,
    BadInput,
    BadTimes,
    BeforeEvening,
    CampaignNotFound,
    MeetingNotFound,
    NotAllowed,
    OutsideArea,
    RoundNotFound,
    TransitionNotAllowed,
    VisitInFuture,
)
from linli.visits.permissions import access_campaign, access_meeting, access_round, can_read_report
from linli.visits.report import campaign_report
from linli.visits.schemas import (
    ActionItemDoneOut,
    CampaignDetailOut,
    CampaignOut,
    MeetingBriefOut,
    MeetingOut,
    PlanOut,
    ReportOut,
    VisitRecordedOut,
)

router = Router(tags=["夜访 visits"])


class IssueIn(Schema):
    text: str
    demand_type: str = "help"
    solved_on_spot: bool = False
    answer: str = ""


class VisitIn(Schema):
    round_id: int
    community_id: int
    client_token: uuid.UUID
    arrived_at: dt.datetime
    left_at: dt.datetime | None = None
    team_ids: list[int] = []
    residents_met: int = 0
    riders_met: int = 0
    property_staff_met: int = 0
    met_notes: str = ""
    issues: list[IssueIn] = []


class ActionDoneIn(Schema):
    note: str


# The errors each endpoint can answer (besides a 500 or a 503 when the database is away).
CAMPAIGN_ERRORS = READ(CampaignNotFound)
ROUND_ERRORS = READ(RoundNotFound)
PLAN_ERRORS = WRITE(RoundNotFound, NotAllowed)
# A visit's issues are registered as demands: the demand register's refusals can answer too.
VISIT_ERRORS = WRITE(
    NotAllowed,
    RoundNotFound,
    UnknownJurisdiction,
    BadInput,
    OutsideArea,
    BeforeEvening,
    VisitInFuture,
    BadTimes,
    DateOutOfRange,
    BadDemand,
    ActionForbidden,
)
MEETING_ERRORS = READ(MeetingNotFound)
DONE_ERRORS = WRITE(ActionItemNotFound, NotAllowed, BadInput, TransitionNotAllowed)
REPORT_ERRORS = READ(CampaignNotFound, PermissionDenied)


def _campaign(c) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "area": c.area.name,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "evening_start": c.evening_start.strftime("%H:%M"),
        "evening_end": c.evening_end.strftime("%H:%M"),
    }


@router.get(
    "/campaigns",
    response={200: list[CampaignOut], **READ.responses},
    openapi_extra=READ.openapi,
    summary="夜访活动列表 / Night-visit campaigns",
)
def visits_campaign_list(request):
    return [_campaign(c) for c in sel.campaign_list(user=request.auth)]


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **CAMPAIGN_ERRORS.responses},
    openapi_extra=CAMPAIGN_ERRORS.openapi,
    summary="夜访活动及其轮次 / A campaign and its rounds",
)
def visits_campaign_get(request, campaign_id: int):
    campaign = access_campaign(request.auth, campaign_id)
    rounds = [
        {
            "id": r.pk,
            "number": r.number,
            "date": r.date,
            "visits": r.visit_count,
            "planned": r.planned_at is not None,
        }
        for r in sel.round_list(campaign=campaign)
    ]
    return {**_campaign(campaign), "rounds": rounds}


def _plan(row) -> dict:
    return {
        "id": row.pk,
        "number": row.number,
        "date": row.date,
        "planned_at": row.planned_at,
        "uncovered": row.plan_gaps,
        "teams": [
            {
                "community_id": r["community"].pk,
                "community": r["community"].name,
                "visited": r["visited"],
                "cadres": [
                    {"id": a.cadre_id, "name": a.cadre.name, "level": a.cadre.level, "locked": a.locked}
                    for a in r["team"]
                ],
            }
            for r in sel.round_plan_table(round_=row)
        ],
    }


@router.get(
    "/rounds/{round_id}",
    response={200: PlanOut, **ROUND_ERRORS.responses},
    openapi_extra=ROUND_ERRORS.openapi,
    summary="轮次及排班 / A round and its plan",
)
def visits_round_get(request, round_id: int):
    return _plan(access_round(request.auth, round_id))


@router.post(
    "/rounds/{round_id}/plan",
    response={200: PlanOut, **PLAN_ERRORS.responses},
    openapi_extra=PLAN_ERRORS.openapi,
    summary="自动排班（保留锁定） / Plan the round (keeps locks)",
)
def visits_round_plan(request, round_id: int):
    return _plan(s.round_plan(actor=request.auth, round_id=round_id))


@router.post(
    "/visits",
    response={200: VisitRecordedOut, 201: VisitRecordedOut, **VISIT_ERRORS.responses},
    openapi_extra=VISIT_ERRORS.openapi,
    summary="记录走访（同一令牌不重复） / Record a visit (idempotent by token)",
)
def visits_visit_record(request, payload: VisitIn):
    """Record a visit; the same ``client_token`` again returns the first visit (200) and creates nothing."""
    visit, created = s.visit_record(
        actor=request.auth,
        round_id=payload.round_id,
        community_id=payload.community_id,
        client_token=payload.client_token,
        arrived_at=payload.arrived_at,
        left_at=payload.left_at,
        team_ids=payload.team_ids,
        residents_met=payload.residents_met,
        riders_met=payload.riders_met,
        property_staff_met=payload.property_staff_met,
        met_notes=payload.met_notes,
        issues=[s.IssueInput(**i.dict()) for i in payload.issues],
    )
    body = {
        "id": visit.pk,
        "created": created,
        "demands": list(visit.issues.values_list("demand__code", flat=True)),
    }
    return Status(201 if created else 200, body)


@router.get(
    "/meetings",
    response={200: list[MeetingBriefOut], **READ.responses},
    openapi_extra=READ.openapi,
    summary="协调会列表 / Coordination meetings",
)
def visits_meeting_list(request):
    return [
        {
            "id": m.pk,
            "topic": m.topic,
            "held_at": m.held_at,
            "items": m.item_count,
            "open_items": m.open_items,
        }
        for m in sel.meeting_list(user=request.auth)[:200]
    ]


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, **MEETING_ERRORS.responses},
    openapi_extra=MEETING_ERRORS.openapi,
    summary="协调会及议定事项 / A meeting and its action items",
)
def visits_meeting_get(request, meeting_id: int):
    d = sel.meeting_detail(meeting=access_meeting(request.auth, meeting_id))
    m = d["meeting"]
    return {
        "id": m.pk,
        "topic": m.topic,
        "held_at": m.held_at,
        "place": m.place,
        "units": [u.name for u in d["units"]],
        "representatives": m.representatives,
        "decisions": m.decisions,
        "action_items": [
            {
                "id": i.pk,
                "text": i.text,
                "owner_unit": i.owner_unit.name,
                "deadline": i.deadline,
                "status": i.status,
                "overdue": i.is_overdue(d["today"]),
                "demands": [x.code for x in i.demands.all()],
            }
            for i in d["items"]
        ],
        "referred_demands": [r.demand.code for r in d["referrals"]],
    }


@router.post(
    "/action-items/{item_id}/done",
    response={200: ActionItemDoneOut, **DONE_ERRORS.responses},
    openapi_extra=DONE_ERRORS.openapi,
    summary="议定事项标记完成 / Mark an action item done",
)
def visits_action_item_complete(request, item_id: int, payload: ActionDoneIn):
    item = s.action_item_complete(actor=request.auth, item_id=item_id, note=payload.note)
    return {"id": item.pk, "status": item.status, "done_at": item.done_at}


@router.get(
    "/campaigns/{campaign_id}/report",
    response={200: ReportOut, **REPORT_ERRORS.responses},
    openapi_extra=REPORT_ERRORS.openapi,
    summary="夜访活动报告 / Campaign report",
)
def visits_campaign_report(request, campaign_id: int):
    campaign = access_campaign(request.auth, campaign_id)
    if not can_read_report(request.auth):
        raise PermissionDenied()
    return campaign_report(campaign=campaign)
