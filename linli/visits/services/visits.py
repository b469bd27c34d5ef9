"""The visit log: what a team recorded, and each issue as a night-visit demand in the closed loop."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core import clock
from linli.core.services import attachment_store
from linli.demands.selectors import demand_facts, demand_visible_get
from linli.demands.services import demand_submit
from linli.org.selectors import community_get
from linli.visits.errors import (
    BadInput,
    BadTimes,
    BeforeEvening,
    DemandAlreadyLinked,
    NotAllowed,
    OutsideArea,
    VisitInFuture,
    VisitNotFound,
)
from linli.visits.models import Cadre, Visit, VisitIssue
from linli.visits.permissions import access_round, area_plannable, can_plan, can_record, community_recordable
from linli.visits.selectors import area_communities
from linli.visits.services._base import record, require, text
from linli.visits.states import EventKind, Subject

MAX_ISSUES = 20
MAX_MET = 10000


@dataclass
class IssueInput:
    text: str
    demand_type: str = "help"
    solved_on_spot: bool = False
    answer: str = ""
    address: str = ""


def _count(value, name: str) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError) as exc:
        raise BadInput(details={name: "not a number"}) from exc
    if not 0 <= number <= MAX_MET:
        raise BadInput(details={name: f"0..{MAX_MET}"})
    return number


FUTURE_GRACE = dt.timedelta(minutes=10)


def _check_times(campaign, date: dt.date, arrived_at: dt.datetime, left_at: dt.datetime | None) -> None:
    if timezone.is_naive(arrived_at) or (left_at is not None and timezone.is_naive(left_at)):
        raise BadInput(details={"time": "naive"})
    local = timezone.localtime(arrived_at)
    if local.date() != date or local.time() < campaign.evening_start:
        raise BeforeEvening(
            f"夜访须在 {date:%Y-%m-%d} {campaign.evening_start:%H:%M} 之后开始",
            f"The visit must start on {date:%Y-%m-%d} after {campaign.evening_start:%H:%M}",
            details={"arrived_at": local.isoformat()},
        )
    if left_at is not None and left_at < arrived_at:
        raise BadTimes()
    # A round planned for a later evening cannot have been held yet (a few minutes' grace for a phone's clock).
    latest = clock.now() + FUTURE_GRACE
    if arrived_at > latest or (left_at is not None and left_at > latest):
        raise VisitInFuture(details={"round_date": date.isoformat(), "arrived_at": local.isoformat()})


@transaction.atomic
def visit_record(
    *,
    actor,
    round_id: int,
    community_id: int,
    client_token,
    arrived_at: dt.datetime,
    left_at: dt.datetime | None = None,
    team_ids: Sequence[int] = (),
    residents_met=0,
    riders_met=0,
    property_staff_met=0,
    met_notes: str = "",
    issues: Sequence[IssueInput] = (),
    photos: Sequence = (),
) -> tuple[Visit, bool]:
    """Record a visit and register its issues. Returns (visit, created).

    The form carries a token made when it was rendered; the same token sent
    again (a double tap, a retry on a bad connection) returns the first visit
    and creates nothing. The visit row is inserted before any demand, so a
    concurrent duplicate waits on the unique token and then reads the winner.
    """
    require(can_record(actor))
    try:
        token = uuid.UUID(str(client_token))
    except ValueError as exc:
        raise BadInput(details={"client_token": "not a UUID"}) from exc
    existing = Visit.objects.filter(client_token=token).first()
    if existing is not None:
        if existing.recorded_by_id != actor.pk and not can_plan(actor):
            raise BadInput(details={"client_token": "used by another person"})
        return existing, False
    row = access_round(actor, round_id, for_visit=True)
    community = community_get(community_id=community_id)
    if community.pk not in {c.pk for c in area_communities(area=row.campaign.area)}:
        raise OutsideArea(details={"community": community.name})
    if not community_recordable(actor, community):
        raise NotAllowed()
    _check_times(row.campaign, row.date, arrived_at, left_at)
    if len(issues) > MAX_ISSUES:
        raise BadInput(details={"issues": f"at most {MAX_ISSUES}"})
    team = list(Cadre.objects.filter(pk__in=list(team_ids), is_active=True))
    if len(team) != len(set(team_ids)):
        raise BadInput(details={"team": "unknown cadre"})
    fields = dict(
        round=row,
        community=community,
        arrived_at=arrived_at,
        left_at=left_at,
        residents_met=_count(residents_met, "residents_met"),
        riders_met=_count(riders_met, "riders_met"),
        property_staff_met=_count(property_staff_met, "property_staff_met"),
        met_notes=text(met_notes, "met_notes", max_len=2000, required=False),
        recorded_by=actor if actor.pk else None,
    )
    try:
        with transaction.atomic():
            visit = Visit.objects.create(client_token=token, **fields)
    except IntegrityError:
        first = Visit.objects.filter(client_token=token).first()
        if first is None:
            raise
        return first, False
    visit.team.set(team)
    record(
        Subject.VISIT,
        visit.pk,
        EventKind.CREATED,
        actor=actor,
        new={"round": row.number, "community": community.name, "team": [c.name for c in team]},
    )
    for issue in issues:
        _raise_issue(visit, issue, actor=actor)
    for upload in photos:
        attachment_store(subject_type="visit", subject_id=visit.pk, upload=upload, uploaded_by=actor)
    return visit, True


def _raise_issue(visit: Visit, issue: IssueInput, *, actor) -> VisitIssue:
    """The issue becomes a night-visit demand registered by the person who logged the visit: the demand's
    events name them (``demands.permissions.may_register`` asks ``may_log_visit_in``)."""
    body = text(issue.text, "issue", max_len=2000)
    answer = text(issue.answer, "answer", max_len=2000, required=False)
    if issue.solved_on_spot and not answer:
        raise BadInput(
            "当场解决的问题请填写答复",
            "Say how the issue was solved on the spot",
            details={"answer": "required"},
        )
    demand = demand_submit(
        actor=actor,
        answer=answer if issue.solved_on_spot else None,
        channel="night_visit",
        demand_type=issue.demand_type,
        text=body,
        address=text(issue.address, "address", max_len=200, required=False),
        community_id=visit.community_id,
    ).demand
    if demand is None:  # only a replayed idempotency key answers without a demand, and this call has none
        raise RuntimeError("demand_submit registered nothing without an idempotency key")
    item = VisitIssue.objects.create(visit=visit, demand_id=demand.pk, solved_on_spot=issue.solved_on_spot)
    record(
        Subject.VISIT,
        visit.pk,
        EventKind.ISSUE_RAISED,
        actor=actor,
        new={"demand": demand.code, "solved_on_spot": issue.solved_on_spot},
    )
    return item


@transaction.atomic
def visit_issue_add(*, actor, visit_id: int, issue: IssueInput) -> VisitIssue:
    """An issue remembered after the visit was saved."""
    visit = Visit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None or not (visit.recorded_by_id == actor.pk or area_plannable(actor, visit.community)):
        raise VisitNotFound()
    return _raise_issue(visit, issue, actor=actor)


@transaction.atomic
def visit_issue_link(*, actor, visit_id: int, demand_id: int) -> VisitIssue:
    """Link a night-visit demand registered elsewhere (the hotline typed it in) to this visit; safe to repeat."""
    visit = Visit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None or not (visit.recorded_by_id == actor.pk or area_plannable(actor, visit.community)):
        raise VisitNotFound()
    demand_visible_get(user=actor, demand_id=demand_id)
    current = VisitIssue.objects.filter(demand_id=demand_id).first()
    if current is not None:
        if current.visit_id != visit.pk:
            raise DemandAlreadyLinked(details={"visit": current.visit_id})
        return current
    facts = demand_facts(ids=[demand_id])[demand_id]
    if facts["community_id"] != visit.community_id or facts["channel"] != "night_visit":
        raise BadInput(
            "只能关联本社区的夜访诉求",
            "Only night-visit demands of this community can be linked",
            details={"demand": facts["code"]},
        )
    item = VisitIssue.objects.create(
        visit=visit, demand_id=demand_id, linked=True, solved_on_spot=bool(facts["resolved_at_intake"])
    )
    record(Subject.VISIT, visit.pk, EventKind.ISSUE_LINKED, actor=actor, new={"demand": facts["code"]})
    return item
