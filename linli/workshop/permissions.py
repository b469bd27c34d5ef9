"""Who may see and change workshop records.

- **Manage** (firms, orders, lots, delivery checks, payments): the community workers of the workshop's
  community or of a community in its joint committee (片区联合党委), and admins.
- **A partner firm's account**: its own firm's orders (it may post new ones), their lots and deliveries with
  participants' phones masked, the payments it made, and its statement. Nothing of another firm.
- **Read** across: leaders and the coordination office within their jurisdiction (read-only).
- Instructors and volunteers: nothing here.

What a user may not see is answered 404.
"""

from __future__ import annotations

from django.db.models import Q

from linli.org.permissions import is_staff_member
from linli.org.selectors import community_group_ids
from linli.org.states import Role
from linli.workshop.errors import FirmNotFound, LotNotFound, NotAllowed, OrderNotFound, ParticipantNotFound
from linli.workshop.models import Firm, Lot, Order, Participant

READERS = (Role.LEADER, Role.COORDINATION_OFFICE)
NOTHING = Q(pk__in=[])


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_firm(user) -> bool:
    return _signed_in(user) and user.role == Role.PARTNER_FIRM


def own_firm(user) -> Firm | None:
    """The firm this partner-firm account belongs to, if any."""
    if not is_firm(user):
        return None
    return Firm.objects.filter(account=user).first()


def managed_community_ids(user) -> list[int] | None:
    """The communities whose workshop this user manages; None means every community (admins)."""
    if not (_signed_in(user) and is_staff_member(user)):
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


def may_open_workshop(user) -> bool:
    """Whether the workshop pages answer this account at all (each page still filters what it shows)."""
    if is_firm(user):
        return own_firm(user) is not None
    return _signed_in(user) and is_staff_member(user) and (can_manage_some(user) or user.role in READERS)


def community_q(user, prefix: str = "") -> Q:
    """Rows (through ``prefix`` + community) this staff member may read; firms get nothing by community."""
    if not (_signed_in(user) and is_staff_member(user)):
        return NOTHING
    managed = managed_community_ids(user)
    if managed is None:
        return Q()
    if managed:
        return Q(**{f"{prefix}community_id__in": managed})
    if user.role in READERS:
        return (
            Q()
            if user.jurisdiction_id is None
            else Q(**{f"{prefix}community__path__startswith": user.jurisdiction.path})
        )
    return NOTHING


def order_q(user, prefix: str = "") -> Q:
    if is_firm(user):
        return Q(**{f"{prefix}firm__account": user})
    return community_q(user, prefix)


def firm_q(user) -> Q:
    if is_firm(user):
        return Q(account=user)
    return community_q(user)


def access_order(user, order_id: int, *, for_write: bool = False) -> Order:
    order = (
        Order.objects.filter(order_q(user)).select_related("firm", "community").filter(pk=order_id).first()
    )
    if order is None:
        raise OrderNotFound()
    if for_write and not may_manage(user, order.community_id):
        raise NotAllowed()
    return order


def access_lot(user, lot_id: int, *, for_write: bool = False) -> Lot:
    lot = Lot.objects.filter(order_q(user, "order__")).filter(pk=lot_id).first()
    if lot is None:
        raise LotNotFound()
    access_order(user, lot.order_id, for_write=for_write)
    return lot


def access_firm(user, firm_id: int) -> Firm:
    firm = Firm.objects.filter(firm_q(user)).filter(pk=firm_id).first()
    if firm is None:
        raise FirmNotFound()
    return firm


def access_participant(user, participant_id: int, *, for_write: bool = False) -> Participant:
    participant = Participant.objects.filter(community_q(user)).filter(pk=participant_id).first()
    if participant is None:
        raise ParticipantNotFound()
    if for_write and not may_manage(user, participant.community_id):
        raise NotAllowed()
    return participant
