"""Reads of 每月一题: the list a user may see, one topic with its units, demands and events, and its effect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from linli.analytics.models import MonthlyTopic
from linli.analytics.permissions import access_topic, visible_topics_q
from linli.analytics.reports.hot_issues import local_start
from linli.analytics.reports.scope import ReportScope, area_scope
from linli.core import clock
from linli.demands.selectors import demand_facts
from linli.dispatch.selectors import hotspot_issues

EFFECT_DAYS = 30  # new demands on the issue in the 30 days before the marking and the 30 days after
LOOK_BACK_DAYS = 90


def topic_list(*, user) -> QuerySet[MonthlyTopic]:
    return (
        MonthlyTopic.objects.filter(visible_topics_q(user))
        .select_related("area", "lead_unit")
        .distinct()
        .order_by("-month", "-pk")
    )


def topic_detail(*, user, topic_id: int) -> dict[str, Any]:
    """The topic (404 unless visible), its assisting units, linked demands, events and before/after counts."""
    topic = access_topic(user, topic_id)
    demand_ids = list(topic.demands.values_list("pk", flat=True))
    facts = demand_facts(ids=demand_ids)
    return {
        "topic": topic,
        "assisting": list(topic.assisting_units.order_by("name")),
        "demands": [facts[i] for i in sorted(facts)],
        "events": list(topic.events.select_related("actor").order_by("at", "pk")),
        "effect": topic_effect(topic=topic, demand_ids=demand_ids),
    }


def _scope_of(topic: MonthlyTopic) -> ReportScope:
    return area_scope(topic.area) if topic.area_id else ReportScope(kind="city")


def topic_effect(*, topic: MonthlyTopic, demand_ids: list[int], days: int = EFFECT_DAYS) -> dict[str, Any]:
    """New demands on the issue in the ``days`` before the marking and the ``days`` after (to today).

    "On the issue" is the hot issue of the topic's area that holds most of the
    linked demands, clustered afresh over the period from ``LOOK_BACK_DAYS``
    before the marking to today: a demand registered after the marking counts
    when the clustering puts it with the issue, whether or not anyone linked it.
    """
    now = clock.now()
    marked = topic.marked_at
    start = local_start(timezone.localtime(marked).date() - dt.timedelta(days=LOOK_BACK_DAYS))
    after_end = min(now, marked + dt.timedelta(days=days))
    out = {"days": days, "before": None, "after": None, "after_days": max((after_end - marked).days, 0)}
    if not demand_ids:
        return out
    scope = _scope_of(topic)
    city_wide = scope.kind == "city" or scope.community_ids is None
    found, about = hotspot_issues(
        community_ids=scope.community_ids, start=start, end=now, top=10_000, city_wide=city_wide
    )
    linked = {str(i) for i in demand_ids}
    best = max(found, key=lambda h: len(linked & set(h.ids)), default=None)
    members = set(best.ids) if best is not None and linked & set(best.ids) else set()
    members |= linked & set(about)
    times = [about[i]["at"] for i in members if i in about]
    out["before"] = sum(1 for t in times if marked - dt.timedelta(days=days) <= t < marked)
    out["after"] = sum(1 for t in times if marked <= t < after_end)
    return out
