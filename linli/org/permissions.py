"""Named predicates about staff."""

from django.conf import settings

from linli.org.states import EMPOWER_ROLES, UNIT_ROLES, Role


def is_staff_member(user) -> bool:
    """A signed-in account of the governance side: not an instructor, volunteer or partner-firm account."""
    return bool(user and user.is_authenticated and user.role not in EMPOWER_ROLES)


def is_unit_staff(user) -> bool:
    return user.role in UNIT_ROLES


def can_see_full_phone(user) -> bool:
    return bool(user and user.is_authenticated and user.role in settings.LINLI_FULL_PHONE_ROLES)


def can_register(user) -> bool:
    return user.role in (Role.HOTLINE_AGENT, Role.DISPATCHER, Role.ADMIN, Role.COMMUNITY_WORKER)


def can_dispatch(user) -> bool:
    return user.role in (Role.DISPATCHER, Role.HOTLINE_AGENT, Role.ADMIN)


def can_callback(user) -> bool:
    return user.role in (Role.HOTLINE_AGENT, Role.DISPATCHER, Role.ADMIN)


def can_supervise(user) -> bool:
    return user.role in (Role.UNIT_SUPERVISOR, Role.ADMIN)


def can_escalate(user) -> bool:
    return user.role in (Role.DISPATCHER, Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN)


def can_read_metrics(user) -> bool:
    return user.is_authenticated
