"""Coordination meetings, their action items, demands referred to them, and designations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from linli.core import clock
from linli.core.transitions import transition_target
from linli.demands.selectors import demand_visible_get
from linli.demands.services import demand_register
from linli.org.selectors import community_get, unit_get
from linli.visits.errors import BadInput, TransitionNotAllowed
from linli.visits.models import ActionItem, Designation, Meeting, MeetingDemand
from linli.visits.permissions import (
    access_action_item,
    access_campaign,
    access_meeting,
    area_plannable,
    can_plan,
    can_refer,
    meeting_writable,
)
from linli.visits.services._base import record, require, text
from linli.visits.states import ACTION_ITEM_TRANSITIONS, EventKind, MeetingKind, Subject


@transaction.atomic
def meeting_create(
    *,
    actor,
    topic: str,
    held_at: dt.datetime,
    place: str = "",
    kind: str = MeetingKind.COORDINATION,
    community_id: int | None = None,
    campaign_id: int | None = None,
    convened_by_id: int | None = None,
    unit_ids: Sequence[int] = (),
    representatives: str = "",
    decisions: str = "",
) -> Meeting:
    require(can_plan(actor))
    if kind not in MeetingKind.values:
        raise BadInput(details={"kind": kind})
    meeting = Meeting(
        kind=kind,
        topic=text(topic, "topic", max_len=120),
        held_at=held_at,
        place=text(place, "place", max_len=100, required=False),
        community=community_get(community_id=community_id) if community_id else None,
        campaign=access_campaign(actor, campaign_id) if campaign_id else None,
        convened_by=unit_get(unit_id=convened_by_id) if convened_by_id else None,
        representatives=text(representatives, "representatives", max_len=2000, required=False),
        decisions=text(decisions, "decisions", max_len=5000, required=False),
        created_by=actor if actor.pk else None,
    )
    require(meeting_writable(actor, meeting))  # only in the area this planner plans for
    meeting.save()
    units = [unit_get(unit_id=i) for i in dict.fromkeys(unit_ids)]
    meeting.units.set(units)
    record(
        Subject.MEETING,
        meeting.pk,
        EventKind.CREATED,
        actor=actor,
        new={"topic": meeting.topic, "units": [u.name for u in units], "held_at": held_at.isoformat()},
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting_id: int, decisions: str, representatives: str | None = None) -> Meeting:
    meeting = access_meeting(actor, meeting_id, for_write=True)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    old = {"decisions": meeting.decisions, "representatives": meeting.representatives}
    meeting.decisions = text(decisions, "decisions", max_len=5000, required=False)
    if representatives is not None:
        meeting.representatives = text(representatives, "representatives", max_len=2000, required=False)
    meeting.save(update_fields=["decisions", "representatives"])
    record(
        Subject.MEETING,
        meeting.pk,
        EventKind.CHANGED,
        actor=actor,
        old=old,
        new={"decisions": meeting.decisions, "representatives": meeting.representatives},
    )
    return meeting


@transaction.atomic
def meeting_refer_demand(*, actor, meeting_id: int, demand_id: int, note: str = "") -> MeetingDemand:
    """Send a demand that needs several units to a meeting; referring it twice changes nothing."""
    require(can_refer(actor))
    meeting = access_meeting(actor, meeting_id)
    demand = demand_visible_get(user=actor, demand_id=demand_id)
    row, created = MeetingDemand.objects.get_or_create(
        meeting=meeting,
        demand_id=demand.pk,
        defaults={"note": text(note, "note", max_len=200, required=False), "referred_by": actor},
    )
    if created:
        record(
            Subject.MEETING,
            meeting.pk,
            EventKind.DEMAND_REFERRED,
            actor=actor,
            new={"demand": demand.code},
            note=row.note,
        )
    return row


@transaction.atomic
def action_item_add(
    *,
    actor,
    meeting_id: int,
    text_: str,
    owner_unit_id: int,
    deadline: dt.date,
    demand_ids: Sequence[int] = (),
) -> ActionItem:
    meeting = access_meeting(actor, meeting_id, for_write=True)
    owner = unit_get(unit_id=owner_unit_id)
    item = ActionItem.objects.create(
        meeting=meeting, text=text(text_, "text", max_len=300), owner_unit=owner, deadline=deadline
    )
    codes = [demand_visible_get(user=actor, demand_id=i).code for i in dict.fromkeys(demand_ids)]
    item.demands.set(list(dict.fromkeys(demand_ids)))
    record(
        Subject.MEETING,
        meeting.pk,
        EventKind.ACTION_ADDED,
        actor=actor,
        new={
            "item": item.pk,
            "text": item.text,
            "owner": owner.name,
            "deadline": deadline.isoformat(),
            "demands": codes,
        },
    )
    record(
        Subject.ACTION_ITEM,
        item.pk,
        EventKind.CREATED,
        actor=actor,
        new={"owner": owner.name, "deadline": deadline.isoformat()},
    )
    return item


@transaction.atomic
def action_item_demand_create(*, actor, item_id: int, text_: str, demand_type: str = "help") -> ActionItem:
    """Open a new demand for an action item (a task the meeting found that no demand carries yet) and link it.

    It is registered as an in-person demand (``walk_in``: raised face to face at
    the meeting) in the meeting's community, in the name of the person who
    opened it: a planner of the meeting's area may register demands arising
    from their meeting (``origin="meeting"``, a rule visits gives
    ``demands.permissions.may_register``), so the demand's events name who did
    it. It is then dispatched as usual.
    """
    item = access_action_item(actor, item_id, for_write=True)
    require(can_plan(actor))
    community = item.meeting.community
    if community is None:
        raise BadInput(
            "会议未关联社区/村，无法登记诉求",
            "The meeting has no community to register the demand in",
            details={"meeting": item.meeting_id},
        )
    demand = demand_register(
        channel="walk_in",
        demand_type=demand_type,
        text=text(text_, "text", max_len=2000),
        community_id=community.pk,
        actor=actor,
        origin="meeting",
    )
    item.demands.add(demand.pk)
    record(
        Subject.ACTION_ITEM,
        item.pk,
        EventKind.DEMAND_LINKED,
        actor=actor,
        new={"demand": demand.code, "new": True},
    )
    return item


@transaction.atomic
def action_item_link_demand(*, actor, item_id: int, demand_id: int) -> ActionItem:
    item = access_action_item(actor, item_id, for_write=True)
    demand = demand_visible_get(user=actor, demand_id=demand_id)
    if not item.demands.filter(pk=demand.pk).exists():
        item.demands.add(demand.pk)
        record(
            Subject.ACTION_ITEM, item.pk, EventKind.DEMAND_LINKED, actor=actor, new={"demand": demand.code}
        )
    return item


def _transition(actor, item_id: int, action: str, note: str, kind: str) -> ActionItem:
    access_action_item(actor, item_id, for_write=True)
    item = ActionItem.objects.select_for_update().get(pk=item_id)
    target = transition_target(ACTION_ITEM_TRANSITIONS, action, item.status, error=TransitionNotAllowed)
    old = {"status": item.status}
    item.status = target or item.status
    item.done_at = clock.now() if action == "complete" else None
    item.done_note = note if action == "complete" else item.done_note
    item.save(update_fields=["status", "done_at", "done_note"])
    record(Subject.ACTION_ITEM, item.pk, kind, actor=actor, old=old, new={"status": target}, note=note)
    return item


@transaction.atomic
def action_item_complete(*, actor, item_id: int, note: str) -> ActionItem:
    """The owner unit reports the item done, with a note; two people at once: one wins, the other gets a 409."""
    return _transition(actor, item_id, "complete", text(note, "note", max_len=2000), EventKind.COMPLETED)


@transaction.atomic
def action_item_reopen(*, actor, item_id: int, note: str) -> ActionItem:
    require(can_plan(actor))
    return _transition(actor, item_id, "reopen", text(note, "note", max_len=2000), EventKind.REOPENED)


@transaction.atomic
def designation_create(
    *,
    actor,
    compound: str,
    community_id: int,
    title: str,
    designated_on: dt.date,
    by_unit_id: int,
    reason: str,
    meeting_id: int | None = None,
) -> Designation:
    require(can_plan(actor))
    community = community_get(community_id=community_id)
    require(area_plannable(actor, community))
    compound, title = text(compound, "compound", max_len=80), text(title, "title", max_len=60)
    existing = Designation.objects.filter(community=community, compound=compound, title=title).first()
    if existing is not None:
        return existing
    row = Designation.objects.create(
        compound=compound,
        community=community,
        title=title,
        designated_on=designated_on,
        by_unit=unit_get(unit_id=by_unit_id),
        reason=text(reason, "reason", max_len=2000),
        meeting=access_meeting(actor, meeting_id) if meeting_id else None,
        created_by=actor if actor.pk else None,
    )
    record(
        Subject.DESIGNATION,
        row.pk,
        EventKind.CREATED,
        actor=actor,
        new={"compound": compound, "title": title},
    )
    return row
