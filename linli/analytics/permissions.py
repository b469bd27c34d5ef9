"""Who may see and work on 每月一题 (the month's governance topic)."""

from __future__ import annotations

from django.db.models import Q

from linli.analytics.errors import TopicNotAllowed, TopicNotFound
from linli.analytics.models import MonthlyTopic
from linli.org.permissions import is_unit_staff
from linli.org.states import Role

TOPIC_MANAGERS = frozenset({Role.COORDINATION_OFFICE, Role.ADMIN})
TOPIC_READERS = frozenset({Role.COORDINATION_OFFICE, Role.ADMIN, Role.LEADER, Role.DISPATCHER})


def can_manage_topics(user) -> bool:
    """The coordination office sets the month's topic, names its units and tracks it."""
    return bool(user and user.is_authenticated and user.role in TOPIC_MANAGERS)


def can_read_topics(user) -> bool:
    return bool(user and user.is_authenticated and (user.role in TOPIC_READERS or is_unit_staff(user)))


def visible_topics_q(user) -> Q:
    """Topics of the user's jurisdiction (and the city's own); unit staff see the topics their unit works on."""
    if not can_read_topics(user):
        return Q(pk__in=[])
    if is_unit_staff(user):
        return Q(lead_unit_id=user.unit_id) | Q(assisting_units__id=user.unit_id)
    if user.jurisdiction_id:
        return Q(area__isnull=True) | Q(area__path__startswith=user.jurisdiction.path)
    return Q()


def access_topic(user, topic_id: int, *, for_write: bool = False) -> MonthlyTopic:
    """The topic if this user may see it (else 404); for a change, only the coordination office (else 403)."""
    topic = (
        MonthlyTopic.objects.filter(visible_topics_q(user), pk=topic_id)
        .select_related("area", "lead_unit", "marked_by")
        .first()
    )
    if topic is None:
        raise TopicNotFound(details={"topic": topic_id})
    if for_write and not can_manage_topics(user):
        raise TopicNotAllowed()
    return topic
