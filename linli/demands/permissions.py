"""Who may see which demand. ``access_demand`` fetches and authorizes in one call; what a user may not see is a 404."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from linli.demands.errors import DemandNotFound
from linli.demands.models import Assignment, Demand
from linli.org.permissions import is_unit_staff
from linli.org.states import Role

AREA_ROLES = (Role.HOTLINE_AGENT, Role.DISPATCHER, Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN)


def demand_visibility_q(user) -> Q | None:
    """A filter for the demands this user may see; None means all of them."""
    if not user or not user.is_authenticated:
        return Q(pk__in=[])
    if user.role in AREA_ROLES:
        if user.jurisdiction_id is None:
            return None
        return Q(area_path__startswith=user.jurisdiction.path)
    if is_unit_staff(user) and user.unit_id:
        assigned = Exists(Assignment.objects.filter(demand=OuterRef("pk"), unit_id=user.unit_id))
        q = Q(assigned)
        if (
            user.role == Role.COMMUNITY_WORKER
            and user.unit
            and user.unit.jurisdiction.level in ("community", "village")
        ):
            q |= Q(community_id=user.unit.jurisdiction_id)
        return q
    return Q(pk__in=[])


def visible_demands(user):
    q = demand_visibility_q(user)
    qs = Demand.objects.all()
    return qs if q is None else qs.filter(q)


def access_demand(user, demand_id: int | None = None, *, code: str | None = None) -> Demand:
    """The demand, if this user may see it; otherwise DemandNotFound (404), whether it exists or not."""
    qs = visible_demands(user).select_related(
        "community", "category", "lead_unit", "complainant", "master", "registered_by"
    )
    demand = qs.filter(pk=demand_id).first() if demand_id is not None else qs.filter(code=code).first()
    if demand is None:
        raise DemandNotFound()
    return demand
