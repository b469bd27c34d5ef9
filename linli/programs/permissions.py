"""Who may see and manage programs.

- **Manage** (create, open/close, sessions, roster, attendance, cancel for someone): the community workers of
  the program's community or of a community in its joint committee (片区联合党委), and admins.
- **Read** across: leaders and the coordination office, within their jurisdiction (read-only).
- Instructors, volunteers and partner firms: nothing here. Residents reach their own sign-up on the portal
  with its code and the last four digits of their phone.

What a user may not see is answered 404.
"""

from __future__ import annotations

from django.db.models import Q

from linli.org.permissions import is_staff_member
from linli.org.selectors import community_group_ids
from linli.org.states import Role
from linli.programs.errors import NotAllowed, ProgramNotFound, SessionNotFound, SignUpNotFound
from linli.programs.models import Program, Session, SignUp

READERS = (Role.LEADER, Role.COORDINATION_OFFICE)
NOTHING = Q(pk__in=[])


def managed_community_ids(user) -> list[int] | None:
    """The communities whose programs this user manages; None means every community (admins)."""
    if not is_staff_member(user):
        return []
    if user.role == Role.ADMIN:
        return None
    if user.role == Role.COMMUNITY_WORKER and user.unit_id and user.unit.jurisdiction.is_grassroots:
        return community_group_ids(community_id=user.unit.jurisdiction_id)
    return []


def can_manage_some(user) -> bool:
    ids = managed_community_ids(user)
    return ids is None or bool(ids)


def may_manage(user, community_id: int) -> bool:
    ids = managed_community_ids(user)
    return ids is None or community_id in ids


def community_q(user, prefix: str = "") -> Q:
    """The rows (through ``prefix`` + community) this user may read."""
    if not is_staff_member(user):
        return NOTHING
    managed = managed_community_ids(user)
    if managed is None:
        return Q()
    if managed:
        return Q(**{f"{prefix}community_id__in": managed})
    if user.role in READERS:
        if user.jurisdiction_id is None:
            return Q()
        return Q(**{f"{prefix}community__path__startswith": user.jurisdiction.path})
    return NOTHING


def access_program(user, program_id: int, *, for_write: bool = False) -> Program:
    program = (
        Program.objects.filter(community_q(user)).select_related("community").filter(pk=program_id).first()
    )
    if program is None:
        raise ProgramNotFound()
    if for_write and not may_manage(user, program.community_id):
        raise NotAllowed()
    return program


def access_session(user, session_id: int, *, for_write: bool = False) -> Session:
    session = Session.objects.filter(community_q(user, "program__")).filter(pk=session_id).first()
    if session is None:
        raise SessionNotFound()
    access_program(user, session.program_id, for_write=for_write)
    return session


def access_signup(user, signup_id: int, *, for_write: bool = False) -> SignUp:
    signup = SignUp.objects.filter(community_q(user, "program__")).filter(pk=signup_id).first()
    if signup is None:
        raise SignUpNotFound()
    access_program(user, signup.program_id, for_write=for_write)
    return signup
