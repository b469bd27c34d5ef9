"""Who may see which demand. ``access_demand`` fetches and authorizes in one call; what a user may not see is a 404."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from linli.demands.errors import DemandNotFound
from linli.demands.models import Assignment, Demand
from linli.org.permissions import can_register, is_unit_staff
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


# Channels whose demands are registered by the person who met the resident, outside the intake roles
# of ``org.permissions.can_register``: the app that owns the channel says who, for which community,
# in its ``AppConfig.ready`` (a higher app registers into a lower one). ``night_visit``: visits.
_CHANNEL_REGISTRARS: dict[str, Callable[..., bool]] = {}


def channel_registrar_set(channel: str, rule: Callable[..., bool]) -> None:
    """``rule(user, community) -> bool``: may this user register a demand of ``channel`` in ``community``."""
    _CHANNEL_REGISTRARS[channel] = rule


# Demands that arise from something of a higher app (``meeting``: an action item of a coordination meeting,
# opened by visits) may be registered by whoever that app says, for that origin only: the rule does not
# open the channel (``walk_in``) to them elsewhere, e.g. on the intake page or the API.
_ORIGIN_REGISTRARS: dict[str, Callable[..., bool]] = {}


def origin_registrar_set(origin: str, rule: Callable[..., bool]) -> None:
    """``rule(user, community) -> bool``: may this user register a demand arising from ``origin`` there."""
    _ORIGIN_REGISTRARS[origin] = rule


def may_register(user, *, channel: str, community, origin: str | None = None) -> bool:
    """Intake roles register on any channel; others only where the channel's owner (or the owner of the
    demand's origin) allows them, in the name of the person who actually did it (so the demand's events name
    who did it)."""
    if not user or not user.is_authenticated:
        return False
    if can_register(user):
        return True
    for rule in (_CHANNEL_REGISTRARS.get(channel), _ORIGIN_REGISTRARS.get(origin) if origin else None):
        if rule is not None and community is not None and rule(user, community):
            return True
    return False
