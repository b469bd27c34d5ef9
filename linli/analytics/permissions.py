"""Who may read which figures: every scope a metrics request names is checked against the reader's jurisdiction.

Unit staff read their own unit only (403 otherwise, as the dashboard). Staff
with a jurisdiction (a district's leaders and coordination office) read areas
inside it and units based inside it; asking for anything else answers like an
area that does not exist (404). Without ``area`` or ``unit`` they get their own
jurisdiction, never the city. City-level staff (no jurisdiction) read all.

每月一题 (the month's governance topic): the coordination office writes, readers see their jurisdiction's.
"""

from __future__ import annotations

from django.db.models import Q

from linli.analytics.errors import TopicNotAllowed, TopicNotFound
from linli.analytics.models import MonthlyTopic
from linli.analytics.reports.scope import AreaNotVisible, OwnUnitOnly
from linli.core.errors import NotFound, PermissionDenied
from linli.org.permissions import can_read_metrics, is_unit_staff
from linli.org.selectors import jurisdiction_list, unit_list
from linli.org.states import Role


class UnitNotVisible(NotFound):
    code = "analytics.unit_not_visible"
    message_zh = "该单位不存在，或不在您的管辖范围内"
    message_en = "No such unit, or it is outside your jurisdiction"


def metrics_scope_for(user, *, area_id: int | None, unit_id: int | None) -> tuple[int | None, int | None]:
    """The (area_id, unit_id) this user may read for what they asked; raises 403/404 for what they may not."""
    if not can_read_metrics(user):
        raise PermissionDenied()
    if is_unit_staff(user):
        if area_id is not None or unit_id is None or unit_id != user.unit_id:
            raise OwnUnitOnly(details={"area": area_id, "unit": unit_id})
        return None, unit_id
    if not user.jurisdiction_id:
        return area_id, unit_id
    home = user.jurisdiction.path
    if area_id is not None:
        area = jurisdiction_list().filter(pk=area_id).only("path").first()
        if area is None or not area.path.startswith(home):
            raise AreaNotVisible(details={"area": area_id})
    if unit_id is not None:
        unit = unit_list().filter(pk=unit_id).select_related("jurisdiction").first()
        if unit is None or unit.jurisdiction is None or not unit.jurisdiction.path.startswith(home):
            raise UnitNotVisible(details={"unit": unit_id})
    if area_id is None and unit_id is None:
        return user.jurisdiction_id, None
    return area_id, unit_id


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
