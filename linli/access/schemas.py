"""Response shapes of /api/v1/access/ (django-ninja), key for key what the endpoints answered as plain dicts.

Field order is the order of the JSON keys; a type here is the JSON type clients have always read
(``access/tests/test_api_shapes.py`` pins them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class ItemOut(Schema):
    code: str
    name: str
    kind: str = Field(description="duty 依法履职 | assist 协助 | negative 负面清单")
    basis: str
    department: str
    method: str
    funding: str
    applies_to: str
    effective_from: dt.date | None
    effective_to: dt.date | None


class CatalogueOut(Schema):
    version: int | None = Field(description="现行版本号；尚未发布清单时为空 / Number of the version in force")
    items: list[ItemOut]


class VersionOut(Schema):
    number: int
    status: str
    effective_from: dt.date | None
    items: int
    note: str


class ItemBriefOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str


class FieldChangeOut(Schema):
    field: str
    label: str
    old: str
    new: str


class ItemChangeOut(Schema):
    code: str
    name: str
    fields: list[FieldChangeOut]


class DiffOut(Schema):
    old: int
    new: int
    added: list[ItemBriefOut]
    removed: list[ItemBriefOut]
    changed: list[ItemChangeOut]


class TaskOut(Schema):
    community: str
    status: str
    refusal_reason: str


class RequestEventOut(Schema):
    kind: str
    actor: str
    office: str
    at: dt.datetime
    reason: str


class RequestOut(Schema):
    id: int
    kind: str
    title: str
    content: str
    department: str
    status: str
    status_label: str
    deadline: dt.date
    filed_at: dt.datetime
    approval_due: dt.datetime | None
    escalated: bool
    working_days_left: int | None = Field(
        description="距审批期限的工作日（仅待审批）/ Working days left to decide"
    )
    match: dict[str, Any] = Field(
        description="准入比对的说明（reason, why, …）/ Why the gate decided as it did"
    )
    tasks: list[TaskOut]
    events: list[RequestEventOut]


class OpinionOut(Schema):
    kind: str
    office: str
    reason: str
    at: dt.datetime


class TaskRefusedOut(Schema):
    id: int
    status: str
    refusal_reason: str


class CertificateOut(Schema):
    name: str
    issuable: bool
    where_to_go: str
    basis: str
    score: float


class CertificateLookupOut(Schema):
    query: str
    results: list[CertificateOut]


class AreaOut(Schema):
    id: int
    name: str


class LedgerRowOut(Schema):
    id: int
    code: str
    name: str
    level: str
    population: int
    cadres: int
    residents_per_cadre: int | None
    admitted: int
    refused: int
    pending: int
    inspections: int
    plaques: int
    plaques_removed: int
    certificates: int
    demands: int


class LedgerTotalsOut(Schema):
    admitted: int
    refused: int
    pending: int
    inspections: int
    plaques: int
    plaques_removed: int
    certificates: int
    demands: int
    items_cut: int
    items_in_force: int
    certificates_cancelled: int


class LedgerOut(Schema):
    date_from: str = Field(alias="from")
    date_to: str = Field(alias="to")
    area: AreaOut | None = Field(description="读者的辖区；全市时为空 / The reader's area; empty for the city")
    rows: list[LedgerRowOut]
    totals: LedgerTotalsOut
