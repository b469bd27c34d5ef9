"""Who may do what in the empowerment app (issue #14, item 8).

- **Manage** (volunteers, teams, terms, rosters, swaps, no-shows): the community worker of a community, for
  the volunteers and teams of that community and of the communities sharing with it in a joint committee
  (``org.selectors.community_group_ids``); admins everywhere.
- **Read only**: leaders and the coordination office inside their jurisdiction; an instructor or first
  secretary for the communities of their postings (and those postings' groups).
- **A volunteer** sees and acts on their own shifts and hours only (check in/out, ask for a swap).
- Phones of volunteers are shown in full only to those who manage them; everyone else gets them masked.

What a user may not see is answered 404, like the demands app.
"""

from __future__ import annotations

from django.db.models import Q

from linli.core import clock
from linli.empower.errors import (
    AssignmentNotFound,
    NotAllowed,
    PostingNotFound,
    ShiftNotFound,
    TeamNotFound,
    TermNotFound,
    VolunteerNotFound,
)
from linli.empower.models import Assignment, Posting, Shift, Team, Term, Volunteer
from linli.org.selectors import community_group_ids, jurisdiction_subtree_ids
from linli.org.states import JurisdictionLevel, Role

READERS = (Role.LEADER, Role.COORDINATION_OFFICE)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def managed_community_ids(user) -> list[int] | None:
    """The communities whose volunteers and teams this user manages; None means every community (admin)."""
    if not _signed_in(user):
        return []
    if user.role == Role.ADMIN:
        return None
    if user.role == Role.COMMUNITY_WORKER and user.unit_id and user.unit.jurisdiction_id:
        if user.unit.jurisdiction.level in (JurisdictionLevel.COMMUNITY, JurisdictionLevel.VILLAGE):
            return community_group_ids(community_id=user.unit.jurisdiction_id)
    return []


def can_manage(user) -> bool:
    ids = managed_community_ids(user)
    return ids is None or bool(ids)


def _posting_community_ids(user) -> list[int]:
    today = clock.today()
    rows = Posting.objects.filter(user=user, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    ids: set[int] = set()
    for community_id in rows.values_list("community_id", flat=True):
        ids.update(community_group_ids(community_id=community_id))
    return sorted(ids)


def community_q(user, field: str = "community") -> Q | None:
    """The communities whose records this user may read, as a filter on ``field``; None when none."""
    if not _signed_in(user):
        return None
    managed = managed_community_ids(user)
    if managed is None:
        return Q()
    if managed:
        return Q(**{f"{field}_id__in": managed})
    if user.role in READERS:
        if user.jurisdiction_id is None:
            return Q()
        return Q(**{f"{field}__path__startswith": user.jurisdiction.path})
    if user.role == Role.INSTRUCTOR:
        ids = _posting_community_ids(user)
        return Q(**{f"{field}_id__in": ids}) if ids else None
    return None


def scope_community_ids(user) -> list[int] | None:
    """The ids ``community_q`` allows, for reads of other apps' figures: None means every community."""
    if not _signed_in(user):
        return []
    managed = managed_community_ids(user)
    if managed is None:
        return None
    if managed:
        return list(managed)
    if user.role in READERS:
        if user.jurisdiction_id is None:
            return None
        return jurisdiction_subtree_ids(jurisdiction=user.jurisdiction)
    if user.role == Role.INSTRUCTOR:
        return _posting_community_ids(user)
    return []


def can_read(user) -> bool:
    return community_q(user) is not None


def manages_community(user, community_id: int) -> bool:
    ids = managed_community_ids(user)
    return ids is None or community_id in ids


def require_manage(user, community_id: int) -> None:
    if not manages_community(user, community_id):
        raise NotAllowed()


def _visible(user, model, pk: int, error, field: str = "community", *, for_write: bool, related=()):
    q = community_q(user, field)
    obj = None
    if q is not None:
        obj = model.objects.select_related(*related).filter(q, pk=pk).first()
    if obj is None:
        raise error()
    return obj


def access_team(user, team_id: int, *, for_write: bool = False) -> Team:
    team = _visible(user, Team, team_id, TeamNotFound, for_write=for_write, related=("community",))
    if for_write:
        require_manage(user, team.community_id)
    return team


def access_term(user, term_id: int, *, for_write: bool = False) -> Term:
    term = _visible(
        user, Term, term_id, TermNotFound, "team__community", for_write=for_write, related=("team",)
    )
    if for_write:
        require_manage(user, term.team.community_id)
    return term


def access_shift(user, shift_id: int, *, for_write: bool = False) -> Shift:
    shift = _visible(
        user,
        Shift,
        shift_id,
        ShiftNotFound,
        "term__team__community",
        for_write=for_write,
        related=("term__team", "template"),
    )
    if for_write:
        require_manage(user, shift.term.team.community_id)
    return shift


def access_volunteer(user, volunteer_id: int, *, for_write: bool = False) -> Volunteer:
    own = _signed_in(user) and Volunteer.objects.filter(pk=volunteer_id, user=user).first()
    if own and not for_write:
        return own
    volunteer = _visible(user, Volunteer, volunteer_id, VolunteerNotFound, for_write=for_write)
    if for_write:
        require_manage(user, volunteer.community_id)
    return volunteer


def own_volunteer(user) -> Volunteer | None:
    if not _signed_in(user) or user.role != Role.VOLUNTEER:
        return None
    return Volunteer.objects.filter(user=user, is_active=True).first()


def access_assignment(user, assignment_id: int, *, own: bool = False) -> Assignment:
    """``own``: the volunteer of the assignment acting on it (check in/out, swap request) — managers may too.
    Otherwise managers only (swap, no-show, cover)."""
    related = ("shift__term__team", "shift__template", "volunteer")
    row = Assignment.objects.select_related(*related).filter(pk=assignment_id).first()
    if row is None:
        raise AssignmentNotFound()
    if own and row.volunteer.user_id and _signed_in(user) and row.volunteer.user_id == user.pk:
        return row
    if not manages_community(user, row.shift.term.team.community_id):
        q = community_q(user, "shift__term__team__community")
        if q is None or not Assignment.objects.filter(q, pk=row.pk).exists():
            raise AssignmentNotFound()
        raise NotAllowed()
    return row


def access_posting(user, posting_id: int) -> Posting:
    posting = Posting.objects.select_related("community", "home_unit").filter(pk=posting_id).first()
    if posting is not None and _signed_in(user) and posting.user_id == user.pk:
        return posting
    q = community_q(user)
    if posting is None or q is None or not Posting.objects.filter(q, pk=posting_id).exists():
        raise PostingNotFound()
    return posting


def sees_full_phone(user, volunteer: Volunteer) -> bool:
    return manages_community(user, volunteer.community_id) and can_manage(user)
