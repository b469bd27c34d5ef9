"""Who may do what in the access app; ``access_*`` helpers answer 404 for what a user may not see."""

from __future__ import annotations

from django.db.models import Q

from linli.access.errors import RequestNotFound, TaskNotFound
from linli.access.models import AccessRequest, Task
from linli.org.states import Role, UnitKind

COMMUNITY_UNIT_KINDS = {UnitKind.COMMUNITY_COMMITTEE, UnitKind.VILLAGE_COMMITTEE}
OVERSEERS = {Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN}


def is_coordination(user) -> bool:
    return user.is_authenticated and user.role in {Role.COORDINATION_OFFICE, Role.ADMIN}


def can_read_ledger(user) -> bool:
    return user.is_authenticated and user.role in OVERSEERS


def ledger_area(user):
    """The jurisdiction whose communities a ledger reader sees: None for city-level readers (no jurisdiction,
    or the city itself), else their own (a district's office or leader: that district only)."""
    if not user.jurisdiction_id or user.jurisdiction.level == "city":
        return None
    return user.jurisdiction


def can_give_opinion(user) -> bool:
    return user.is_authenticated and user.role in {*OVERSEERS, Role.UNIT_SUPERVISOR}


def department_of(user):
    """The unit a user files requests for: a department, company or street office (not a community committee)."""
    unit = getattr(user, "unit", None)
    if (
        not user.is_authenticated
        or unit is None
        or user.role not in {Role.UNIT_HANDLER, Role.UNIT_SUPERVISOR}
    ):
        return None
    return None if unit.kind in COMMUNITY_UNIT_KINDS else unit


def community_id_of(user) -> int | None:
    """The community or village a community worker works for."""
    if not user.is_authenticated or user.role != Role.COMMUNITY_WORKER:
        return None
    unit = getattr(user, "unit", None)
    if unit is not None and unit.kind in COMMUNITY_UNIT_KINDS:
        return unit.jurisdiction_id
    return user.jurisdiction_id


def overseer_path(user) -> str | None:
    """The area an overseer answers for: "" for the whole city, None when the user is no overseer."""
    if not user.is_authenticated or user.role not in OVERSEERS:
        return None
    return user.jurisdiction.path if user.jurisdiction_id else ""


def request_in_area_q(path: str) -> Q:
    """Requests of a department of the area, or aimed at one of its communities."""
    return Q(department__jurisdiction__path__startswith=path) | Q(tasks__community__path__startswith=path)


def request_visibility_q(user) -> Q | None:
    """A filter on AccessRequest for what this user may read; None means every request."""
    path = overseer_path(user)
    if path == "":
        return None
    q = Q(pk__in=[])
    if path is not None:
        q |= request_in_area_q(path)
    if user.is_authenticated and user.unit_id:
        q |= Q(department_id=user.unit_id)
    community = community_id_of(user) if user.is_authenticated else None
    if community is not None:
        q |= Q(tasks__community_id=community)
    return q


def may_see_request(user, request: AccessRequest) -> bool:
    if not user.is_authenticated:
        return False
    path = overseer_path(user)
    if path == "":
        return True
    if path is not None and (
        request.department.jurisdiction.path.startswith(path)
        or request.tasks.filter(community__path__startswith=path).exists()
    ):
        return True
    if user.unit_id and user.unit_id == request.department_id:
        return True
    community = community_id_of(user)
    return community is not None and request.tasks.filter(community_id=community).exists()


def access_request(user, request_id: int) -> AccessRequest:
    req = (
        AccessRequest.objects.select_related(
            "department", "department__jurisdiction", "filed_by", "item", "version"
        )
        .filter(pk=request_id)
        .first()
    )
    if req is None or not may_see_request(user, req):
        raise RequestNotFound(details={"request_id": request_id})
    return req


def access_task(user, task_id: int) -> Task:
    task = (
        Task.objects.select_related("request", "request__department", "request__item", "community")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise TaskNotFound(details={"task_id": task_id})
    community = community_id_of(user)
    department = user.is_authenticated and user.unit_id and user.unit_id == task.request.department_id
    path = overseer_path(user)
    overseer = path is not None and task.community.path.startswith(path)
    if not (community == task.community_id or department or overseer):
        raise TaskNotFound(details={"task_id": task_id})
    return task
