"""Response shapes of /api/v1/visits/ (django-ninja), key for key what the endpoints answered as plain dicts.

Field order is the order of the JSON keys; a type here is the JSON type clients have always read
(``visits/tests/test_api_shapes.py`` pins them).
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class CampaignOut(Schema):
    id: int
    name: str
    area: str
    starts_on: dt.date
    ends_on: dt.date
    evening_start: str = Field(description="HH:MM")
    evening_end: str = Field(description="HH:MM")


class RoundBriefOut(Schema):
    id: int
    number: int
    date: dt.date
    visits: int
    planned: bool


class CampaignDetailOut(CampaignOut):
    rounds: list[RoundBriefOut]


class GapOut(Schema):
    community_id: int
    community: str
    reason: str


class TeamCadreOut(Schema):
    id: int
    name: str
    level: str
    locked: bool


class TeamOut(Schema):
    community_id: int
    community: str
    visited: bool
    cadres: list[TeamCadreOut]


class PlanOut(Schema):
    id: int
    number: int
    date: dt.date
    planned_at: dt.datetime | None
    uncovered: list[GapOut] = Field(
        description="排不出混编队伍的村(社区)及原因 / Communities left without a team"
    )
    teams: list[TeamOut]


class VisitRecordedOut(Schema):
    id: int
    created: bool = Field(description="false：同一令牌的重复提交 / false: a replay of the same client_token")
    demands: list[str] = Field(description="问题登记成的诉求编号 / Codes of the demands the issues became")


class MeetingBriefOut(Schema):
    id: int
    topic: str
    held_at: dt.datetime
    items: int
    open_items: int


class ActionItemOut(Schema):
    id: int
    text: str
    owner_unit: str
    deadline: dt.date
    status: str
    overdue: bool
    demands: list[str]


class MeetingOut(Schema):
    id: int
    topic: str
    held_at: dt.datetime
    place: str
    units: list[str]
    representatives: str
    decisions: str
    action_items: list[ActionItemOut]
    referred_demands: list[str]


class ActionItemDoneOut(Schema):
    id: int
    status: str
    done_at: dt.datetime | None


class LevelCountOut(Schema):
    level: str
    key: str
    count: int


class UnitCountOut(Schema):
    unit: str
    count: int


class RoundReportOut(Schema):
    number: int
    date: str
    visits: int
    communities: int
    issues: int


class ReportOut(Schema):
    rounds_total: int
    rounds_held: int
    cadres_by_level: list[LevelCountOut]
    cadres_total: int
    communities_covered: int
    communities_total: int
    uncovered: list[str]
    visits: int
    issues: int
    resolved_grassroots: int
    resolved_grassroots_share: float | None
    resolved_first_visit: int
    resolved_first_visit_share: float | None
    resolved_grassroots_pct: str
    resolved_first_visit_pct: str
    open_issues: int
    open_by_unit: list[UnitCountOut]
    rounds: list[RoundReportOut]
