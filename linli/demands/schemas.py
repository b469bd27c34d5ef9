"""Request and response shapes of the demand API (django-ninja / pydantic).

Input types bound every value a client can send: ids fit a database
integer, strings have a ceiling and carry no NUL or unpaired surrogate (which
PostgreSQL and UTF-8 refuse), dates stay inside a sane range. The business
limits (5,000 characters of text, 15 days of extension, …) are the services'.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from linli.core.schemas import ErrorOut
from linli.demands.selectors import INBOX_TABS, SORTS
from linli.demands.states import (
    AssignmentRole,
    AssignmentStatus,
    Channel,
    DemandStatus,
    DemandType,
    EventKind,
    ExtensionStatus,
    Satisfaction,
    Urgency,
)
from linli.dispatch.schemas import SuggestOut

MAX_ID = 2**53


def _no_bad_characters(value: str) -> str:
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("contains a NUL or an unpaired surrogate character")
    return value


def _text(max_length: int) -> Any:
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_no_bad_characters)]


LongText = _text(20000)  # demand text, answers, results
Note = _text(5000)  # reasons, notes, instructions
Line = _text(1000)  # titles, addresses, search terms
Short = _text(100)  # names, phone numbers, codes


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[
    int | None,
    Field(
        None,
        ge=1,
        le=2**31,
        description="客户端所见版本号；不一致时返回 409 demand.stale / Version the client saw; 409 when stale",
    ),
]
Coordinate = Annotated[float | None, Field(None, allow_inf_nan=False)]


# --- input ------------------------------------------------------------------------------------


class VersionIn(Schema):
    version: Version = None


class DemandRegisterIn(Schema):
    channel: Channel = Channel.HOTLINE
    demand_type: DemandType
    text: LongText
    urgency: Urgency = Urgency.NORMAL
    title: Line = ""
    address: Line = ""
    community_id: Id | None = None
    latitude: Coordinate = None
    longitude: Coordinate = None
    category_id: Id | None = None
    phone: Short | None = None
    name: Short = ""
    external_ref: Short = ""
    answer: LongText | None = Field(
        None,
        description=(
            "当场答复内容：填写则登记后直接办结（如电话中已解答的咨询） / The answer given on the spot: "
            "registered and resolved at intake in one call (e.g. a question answered on the phone)"
        ),
    )


class PublicDemandIn(Schema):
    demand_type: DemandType
    text: LongText
    address: Line = ""
    community_id: Id | None = None
    phone: Short = Field(..., description="必填，用于查询和回访 / Required, for tracking and the callback")
    name: Short = ""


class ResolveIn(VersionIn):
    answer: LongText


class DispatchIn(VersionIn):
    lead_unit_id: Id | None = Field(
        None, description="空则按派单目录 / Empty: the dispatch catalogue decides"
    )
    assisting_unit_ids: list[Id] = Field(default_factory=list, max_length=50)
    category_id: Id | None = None
    instructions: Note = ""


class RedispatchIn(VersionIn):
    lead_unit_id: Id | None = None
    assisting_unit_ids: list[Id] = Field(default_factory=list, max_length=50)
    category_id: Id | None = None
    reason: Note


class CategoryIn(VersionIn):
    category_id: Id


class ReasonIn(VersionIn):
    reason: Note


class DecisionIn(VersionIn):
    approve: bool
    note: Note = ""


class ExtensionIn(VersionIn):
    days: int = Field(..., ge=1, le=1000, description="延期工作日 / Working days")
    reason: Note


class ReplyIn(VersionIn):
    result: LongText


class CallbackIn(VersionIn):
    resolved: bool
    satisfaction: Satisfaction | Literal[""] = Field(
        "", description="空表示拒绝评价 / Empty: declined to rate"
    )
    note: Note = ""


class ReopenIn(VersionIn):
    reason: Note
    lead_unit_id: Id | None = Field(None, description="空则交原主办单位 / Empty: the previous lead unit")


class CloseIn(VersionIn):
    note: Note = ""


class MergeIn(VersionIn):
    master_id: Id
    note: Note = ""


class DemandFilterIn(Schema):
    status: list[DemandStatus] = Field(default_factory=list, description="可重复 / Repeatable")
    unit: Id | None = Field(None, description="派给该单位过的诉求 / Demands ever assigned to this unit")
    category: Id | None = Field(None, description="该分类及其下级 / This category and below")
    community: Id | None = None
    area: Id | None = Field(None, description="行政区划 id，含下级 / Jurisdiction id, with its subtree")
    channel: list[Channel] = Field(default_factory=list)
    type: list[DemandType] = Field(default_factory=list)
    date_from: dt.date | None = Field(None, ge=dt.date(2000, 1, 1), le=dt.date(2100, 1, 1))
    date_to: dt.date | None = Field(None, ge=dt.date(2000, 1, 1), le=dt.date(2100, 1, 1))
    overdue: bool | None = None
    q: Line = Field("", description="编号、内容、标题、地址 / Code, text, title, address")
    sort: Literal[tuple(SORTS)] = "-registered_at"
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class InboxFilterIn(Schema):
    tab: Literal[INBOX_TABS] = "to_sign"
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class TrackIn(Schema):
    code: Short
    phone_last4: Short


# --- output -----------------------------------------------------------------------------------


READ_ERRORS: dict[Any, Any] = {frozenset({401, 404, 422}): ErrorOut}
WRITE_ERRORS: dict[Any, Any] = {frozenset({400, 401, 403, 404, 409, 413, 422}): ErrorOut}
PUBLIC_ERRORS: dict[Any, Any] = {frozenset({400, 404, 413, 422, 429}): ErrorOut}


class Ref(Schema):
    id: int
    name: str


class CategoryRef(Schema):
    id: int
    full_name: str


class DemandRef(Schema):
    id: int
    code: str
    status: DemandStatus
    registered_at: dt.datetime


class DemandItemOut(Schema):
    id: int
    code: str
    version: int
    status: DemandStatus
    status_label: str
    demand_type: DemandType
    type_label: str
    urgency: Urgency
    channel: Channel
    title: str
    address: str
    community: Ref | None
    category: CategoryRef | None
    lead_unit: Ref | None
    registered_at: dt.datetime
    finish_due: dt.datetime | None
    is_overdue: bool
    escalation_count: int
    complainant_name: str
    phone: str = Field(description="按角色脱敏 / Masked unless the role needs it")


class ExtensionOut(Schema):
    id: int
    days: int
    reason: str
    status: ExtensionStatus
    status_label: str
    requested_at: dt.datetime
    requested_by_id: int | None
    decided_at: dt.datetime | None
    decided_by_id: int | None
    decision_note: str
    old_due: dt.datetime
    new_due: dt.datetime | None


class AssignmentOut(Schema):
    id: int
    unit: Ref
    role: AssignmentRole
    role_label: str
    status: AssignmentStatus
    status_label: str
    instructions: str
    dispatched_at: dt.datetime
    sign_due: dt.datetime
    finish_due: dt.datetime
    signed_at: dt.datetime | None
    signed_on_time: bool | None
    replied_at: dt.datetime | None
    reply_text: str
    return_reason: str
    sign_overdue_at: dt.datetime | None
    finish_overdue_at: dt.datetime | None
    extensions: list[ExtensionOut]


class EventOut(Schema):
    id: int
    kind: EventKind
    label: str
    at: dt.datetime
    actor: str | None
    unit: str | None
    assignment_id: int | None
    old: dict[str, Any]
    new: dict[str, Any]
    note: str


class CallbackOut(Schema):
    id: int
    at: dt.datetime
    resolved: bool
    satisfaction: str
    satisfaction_label: str
    note: str
    on_time: bool | None


class DemandDetailOut(DemandItemOut):
    text: str
    latitude: float | None
    longitude: float | None
    external_ref: str
    registered_by: str | None
    dispatched_at: dt.datetime | None
    sign_due: dt.datetime | None
    replied_at: dt.datetime | None
    reply_text: str
    finished_on_time: bool | None
    callback_due: dt.datetime | None
    called_back_at: dt.datetime | None
    closed_at: dt.datetime | None
    resolved: bool | None
    resolved_at_intake: bool
    satisfaction: str
    reopen_count: int
    return_count: int
    escalated_at: dt.datetime | None
    master: DemandRef | None
    assignments: list[AssignmentOut]
    events: list[EventOut]
    callbacks: list[CallbackOut]
    duplicates: list[DemandRef]
    junk: bool = Field(description="疑似广告、灌水或辱骂，待人工复核 / Flagged as advertising, spam or abuse")
    junk_reason: str
    suggestion: SuggestOut | None = Field(
        description="待派单或已退单时的派单建议（含同地点同问题的未办结诉求） / For a demand awaiting dispatch: "
        "suggested category and units, similar open demands"
    )


class DemandPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[DemandItemOut]


class InboxDemandOut(Schema):
    id: int
    code: str
    version: int
    status: DemandStatus
    status_label: str
    demand_type: DemandType
    type_label: str
    urgency: Urgency
    title: str
    address: str
    community: str | None
    category: str | None
    registered_at: dt.datetime


class InboxItemOut(Schema):
    assignment_id: int
    role: AssignmentRole
    status: AssignmentStatus
    status_label: str
    dispatched_at: dt.datetime
    sign_due: dt.datetime
    finish_due: dt.datetime
    signed_at: dt.datetime | None
    demand: InboxDemandOut


class InboxOut(Schema):
    unit: Ref
    tab: str
    counts: dict[str, int]
    count: int
    page: int
    page_size: int
    items: list[InboxItemOut]


class PublicReceiptOut(Schema):
    code: str = Field(
        description="受理编号，凭编号和手机号后四位查询 / Tracking code; track it with the last 4 phone digits"
    )
    status: DemandStatus
    status_label: str
    registered_at: dt.datetime


class PublicEventOut(Schema):
    kind: EventKind
    label: str
    at: dt.datetime


class PublicTrackOut(Schema):
    code: str
    status: DemandStatus
    status_label: str
    demand_type: DemandType
    type_label: str
    registered_at: dt.datetime
    timeline: list[PublicEventOut]
    reply_text: str | None = Field(description="办结后可见 / Shown once replied")
    replied_at: dt.datetime | None
