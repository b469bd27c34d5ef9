"""Writes of 每月一题: the coordination office marks a hot issue as the month's topic and tracks it to an outcome.

Every write locks the topic, checks the transition table where the status
changes, bumps ``version`` and appends a ``MonthlyTopicEvent`` with the old and
new values.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.analytics.errors import BadTopic, TopicExists, TopicNotAllowed, TopicTransition
from linli.analytics.models import MonthlyTopic, MonthlyTopicEvent, month_of
from linli.analytics.permissions import access_topic, can_manage_topics
from linli.analytics.states import TOPIC_TRANSITIONS, TopicEventKind
from linli.core import clock
from linli.core.text import clean_text
from linli.demands.selectors import demand_facts
from linli.org.selectors import jurisdiction_list, unit_get

MAX_DEMANDS = 500


def _text(value, name: str, *, max_len: int, required: bool = True) -> str:
    value = clean_text(value or "")
    if required and not value:
        raise BadTopic("请填写必填项", "A required field is empty", details={name: "required"})
    if len(value) > max_len:
        raise BadTopic("内容过长", "The text is too long", details={name: f"at most {max_len}"})
    return value


def _record(topic: MonthlyTopic, kind: str, *, actor, old=None, new=None, note: str = "") -> None:
    MonthlyTopicEvent.objects.create(
        topic=topic, kind=kind, actor=actor, at=clock.now(), old=old or {}, new=new or {}, note=note
    )


def _units(lead_unit_id: int, assisting_unit_ids) -> tuple[object, list[int]]:
    lead = unit_get(unit_id=lead_unit_id)
    assisting = sorted({int(u) for u in assisting_unit_ids or []} - {lead.pk})
    for unit_id in assisting:
        unit_get(unit_id=unit_id)
    return lead, assisting


def _demand_ids(ids) -> list[int]:
    ids = sorted({int(i) for i in ids or []})
    if len(ids) > MAX_DEMANDS:
        raise BadTopic(
            f"一次最多关联 {MAX_DEMANDS} 件诉求",
            f"At most {MAX_DEMANDS} demands at once",
            details={"demands": len(ids)},
        )
    known = demand_facts(ids=ids)
    missing = [i for i in ids if i not in known]
    if missing:
        raise BadTopic("有诉求不存在", "Some demands do not exist", details={"demands": missing[:10]})
    return ids


def _area_for(actor, area_id: int | None):
    if area_id is None:
        if actor.jurisdiction_id:  # an office of a district sets its district's topic, not the city's
            return actor.jurisdiction
        return None
    area = jurisdiction_list().filter(pk=area_id).first()
    home = actor.jurisdiction if actor.jurisdiction_id else None
    if area is None or (home is not None and not area.path.startswith(home.path)):
        raise BadTopic(
            "该区域不存在，或不在您的管辖范围内",
            "No such area in your jurisdiction",
            details={"area": area_id},
        )
    return area


@transaction.atomic
def topic_mark(
    *,
    actor,
    title: str,
    lead_unit_id: int,
    assisting_unit_ids=(),
    demand_ids=(),
    area_id: int | None = None,
    month: dt.date | None = None,
    place: str = "",
    terms: str = "",
    meeting: str = "",
) -> MonthlyTopic:
    """Mark a hot issue as the area's topic of the month (this month by default); one topic per area and month."""
    if not can_manage_topics(actor):
        raise TopicNotAllowed()
    now = clock.now()
    month = month_of(month or timezone.localdate(now))
    area = _area_for(actor, area_id)
    lead, assisting = _units(lead_unit_id, assisting_unit_ids)
    demands = _demand_ids(demand_ids)
    fields = {
        "title": _text(title, "title", max_len=120),
        "place": _text(place, "place", max_len=60, required=False),
        "terms": _text(terms, "terms", max_len=60, required=False),
        "meeting": _text(meeting, "meeting", max_len=200, required=False),
    }
    if MonthlyTopic.objects.filter(month=month, area=area).exists():
        raise TopicExists(details={"month": f"{month:%Y-%m}", "area": area.pk if area else None})
    try:
        with transaction.atomic():
            topic = MonthlyTopic.objects.create(
                month=month, area=area, lead_unit=lead, marked_at=now, marked_by=actor, **fields
            )
    except IntegrityError:  # two offices at once: one wins
        raise TopicExists(details={"month": f"{month:%Y-%m}"}) from None
    topic.assisting_units.set(assisting)
    topic.demands.set(demands)
    _record(
        topic,
        TopicEventKind.MARKED,
        actor=actor,
        new={
            **fields,
            "month": f"{month:%Y-%m}",
            "lead_unit": lead.pk,
            "assisting_units": assisting,
            "demands": demands,
        },
    )
    return topic


def _locked(actor, topic_id: int, version: int | None) -> MonthlyTopic:
    access_topic(actor, topic_id, for_write=True)
    topic = MonthlyTopic.objects.select_for_update().get(pk=topic_id)
    if version is not None and version != topic.version:
        raise TopicTransition(
            "每月一题已被他人修改，请刷新后重试",
            "The topic was changed meanwhile; reload and try again",
            code="topic.stale",
            details={"version": topic.version},
        )
    return topic


def _bump(topic: MonthlyTopic, *fields: str) -> None:
    topic.version += 1
    topic.save(update_fields=[*fields, "version"])


@transaction.atomic
def topic_units_set(
    *, actor, topic_id: int, lead_unit_id: int, assisting_unit_ids=(), version=None
) -> MonthlyTopic:
    topic = _locked(actor, topic_id, version)
    lead, assisting = _units(lead_unit_id, assisting_unit_ids)
    old = {
        "lead_unit": topic.lead_unit_id,
        "assisting_units": sorted(topic.assisting_units.values_list("pk", flat=True)),
    }
    topic.lead_unit = lead
    _bump(topic, "lead_unit")
    topic.assisting_units.set(assisting)
    _record(
        topic,
        TopicEventKind.UNITS,
        actor=actor,
        old=old,
        new={"lead_unit": lead.pk, "assisting_units": assisting},
    )
    return topic


@transaction.atomic
def topic_demands_link(*, actor, topic_id: int, demand_ids, version=None) -> MonthlyTopic:
    """Link more demands to the topic (already linked ones are kept)."""
    topic = _locked(actor, topic_id, version)
    ids = _demand_ids(demand_ids)
    before = set(topic.demands.values_list("pk", flat=True))
    added = [i for i in ids if i not in before]
    if not added:
        return topic
    topic.demands.add(*added)
    _bump(topic)
    _record(topic, TopicEventKind.DEMANDS, actor=actor, old={"count": len(before)}, new={"added": added})
    return topic


@transaction.atomic
def topic_meeting_set(*, actor, topic_id: int, meeting: str, version=None) -> MonthlyTopic:
    """Record the joint meeting held on the topic (its date, name or number)."""
    topic = _locked(actor, topic_id, version)
    old = topic.meeting
    topic.meeting = _text(meeting, "meeting", max_len=200)
    _bump(topic, "meeting")
    _record(topic, TopicEventKind.MEETING, actor=actor, old={"meeting": old}, new={"meeting": topic.meeting})
    return topic


def _transition(actor, topic_id: int, action: str, version) -> tuple[MonthlyTopic, str]:
    topic = _locked(actor, topic_id, version)
    allowed, target = TOPIC_TRANSITIONS[action]
    if topic.status not in allowed:
        raise TopicTransition(details={"status": topic.status, "action": action})
    return topic, target


@transaction.atomic
def topic_close(*, actor, topic_id: int, outcome: str, version=None) -> MonthlyTopic:
    """Close the topic with what came of it (the outcome text is required)."""
    topic, target = _transition(actor, topic_id, "close", version)
    outcome = _text(outcome, "outcome", max_len=4000)
    old = {"status": topic.status}
    topic.status, topic.outcome, topic.closed_at = target, outcome, clock.now()
    _bump(topic, "status", "outcome", "closed_at")
    _record(topic, TopicEventKind.CLOSED, actor=actor, old=old, new={"status": target, "outcome": outcome})
    return topic


@transaction.atomic
def topic_reopen(*, actor, topic_id: int, note: str, version=None) -> MonthlyTopic:
    topic, target = _transition(actor, topic_id, "reopen", version)
    note = _text(note, "note", max_len=2000)
    old = {"status": topic.status, "outcome": topic.outcome}
    topic.status, topic.closed_at = target, None
    _bump(topic, "status", "closed_at")
    _record(topic, TopicEventKind.REOPENED, actor=actor, old=old, new={"status": target}, note=note)
    return topic
