"""Taking a demand in: register (in a transaction of its own, or inside a caller's) and answer at intake.

Sending it on to units and merging duplicates are in ``routing``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction

from linli.core.ids import tracking_code
from linli.core.text import clean_text
from linli.demands.errors import (
    BadDemand,
    DuplicateExternalRef,
    ReasonRequired,
    RegistrationClash,
)
from linli.demands.models import Demand
from linli.demands.permissions import may_register
from linli.demands.services._base import (
    check_demand_move,
    lock_demand,
    now,
    prefetched,
    record,
    require,
    require_may,
    save_demand,
)
from linli.demands.services.routing import MERGE_MASTER_STATUSES, merge_into
from linli.demands.states import (
    PUBLIC_CHANNELS,
    Channel,
    DemandType,
    EventKind,
    Urgency,
)
from linli.dispatch.selectors import category_get, identical_open_demand, junk_screen
from linli.dispatch.services import signature_record, signature_update
from linli.org.selectors import community_get
from linli.org.services import resident_get_or_create

MAX_TEXT = 5000


def _coordinate(value, low: float, high: float, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise BadDemand(details={name: "not a number"}) from exc
    if not low <= number <= high:
        raise BadDemand(details={name: f"out of range [{low}, {high}]"})
    return number


@functools.cache
def _allowed(choices) -> frozenset[str]:
    return frozenset(choices.values)  # Django builds the ``values`` list anew on each access


def _choice(value: str, choices, name: str) -> str:
    if value not in _allowed(choices):
        raise BadDemand(details={name: value, "allowed": list(choices.values)})
    return value


def _auto_merge_on() -> bool:
    """``LINLI_DISPATCH_AUTO_MERGE``: merge identical public submissions at intake (off unless a city turns it on)."""
    return bool(getattr(settings, "LINLI_DISPATCH_AUTO_MERGE", False))


REGISTER_ATTEMPTS = 5
T = TypeVar("T")


def registering(run: Callable[[], T]) -> T:
    """Call ``run``, which registers a demand in a transaction it opens itself, again when the registration
    clashed (``RegistrationClash``: its transaction is rolled back by then). The retry settles both causes:
    an external reference that a concurrent registration committed first is found by the next attempt's
    check (``demand.duplicate_external_ref``), and a random tracking code already taken (one in about 10^8
    a day) is drawn anew. After ``REGISTER_ATTEMPTS`` clashes the caller gets ``demand.registration_clash``."""
    attempt = 1
    while True:
        try:
            return run()
        except RegistrationClash:
            if attempt == REGISTER_ATTEMPTS:
                raise
            attempt += 1


def demand_register(**fields) -> Demand:
    """Register (受理) a new demand in a transaction of its own (a savepoint inside another one); see
    ``register_in_transaction`` for the fields."""

    def run() -> Demand:
        with transaction.atomic():
            return register_in_transaction(**fields)

    return registering(run)


def register_in_transaction(
    *,
    channel: str,
    demand_type: str,
    text: str,
    urgency: str = Urgency.NORMAL,
    title: str = "",
    address: str = "",
    community_id: int | None = None,
    latitude=None,
    longitude=None,
    category_id: int | None = None,
    phone: str | None = None,
    name: str = "",
    external_ref: str = "",
    actor=None,
    origin: str | None = None,
) -> Demand:
    """Register (受理) a new demand. Public channels need the resident's phone. ``origin`` names where a
    demand registered by someone outside the intake roles arose (``meeting``), for ``may_register``.

    The caller holds the transaction and runs it again through ``registering`` when the insert clashes:
    ``demand_submit`` calls this inside its own, so the busiest write pays no savepoint; everyone else
    calls ``demand_register``. The new demand's events are in hand (``demand.events.all()`` reads no row),
    so its answer needs no read-back."""
    text = clean_text(text)
    if not text:
        raise BadDemand("诉求内容不能为空", "The demand text is empty", details={"text": "required"})
    if len(text) > MAX_TEXT:
        raise BadDemand(
            f"诉求内容不能超过{MAX_TEXT}字",
            f"The text is longer than {MAX_TEXT} characters",
            details={"text": "too long"},
        )
    title, address = clean_text(title), clean_text(address)
    if len(title) > 120 or len(address) > 200:
        raise BadDemand(details={"title_or_address": "too long"})
    _choice(channel, Channel, "channel")
    _choice(demand_type, DemandType, "demand_type")
    _choice(urgency, Urgency, "urgency")
    if channel in PUBLIC_CHANNELS and not phone:
        raise BadDemand(
            "请留下手机号，便于查询和回访", "A phone number is required", details={"phone": "required"}
        )
    community = community_get(community_id=community_id) if community_id is not None else None
    if actor is not None:
        require(may_register(actor, channel=channel, community=community, origin=origin))
    category = category_get(category_id=category_id) if category_id is not None else None
    resident = resident_get_or_create(phone=phone, name=clean_text(name)) if phone else None
    # Public channels are screened for advertising, spam and abuse: flagged for review, never dropped.
    screening = junk_screen(text=text, title=title) if channel in PUBLIC_CHANNELS else None
    at = now()
    fields = {
        "demand_type": demand_type,
        "urgency": urgency,
        "channel": channel,
        "title": title or text[:30],
        "text": text,
        "address": address,
        "community": community,
        "area_path": community.path if community else "",
        "latitude": _coordinate(latitude, -90, 90, "latitude"),
        "longitude": _coordinate(longitude, -180, 180, "longitude"),
        "category": category,
        "category_top_id": category.top_id if category else None,
        "complainant": resident,
        "external_ref": external_ref[:64],
        "registered_at": at,
        "registered_by": actor if actor is not None and actor.pk else None,
        "junk": bool(screening and screening.junk),
        "junk_reason": screening.reason[:200] if screening else "",
    }
    ref = fields["external_ref"]
    if ref and Demand.objects.filter(channel=channel, external_ref=ref).exists():
        raise DuplicateExternalRef(details={"external_ref": ref})
    try:  # no savepoint: on PostgreSQL a failed insert spoils the transaction, so the caller runs it again
        demand = Demand.objects.create(code=tracking_code(), **fields)
    except IntegrityError as exc:
        raise RegistrationClash(details={"external_ref": ref} if ref else {}) from exc
    registered = record(
        demand,
        EventKind.REGISTERED,
        actor=actor,
        at=at,
        new={
            "channel": channel,
            "type": demand_type,
            "urgency": urgency,
            "community": community.name if community else "",
            **({"junk": demand.junk_reason} if demand.junk else {}),
        },
    )
    signature_record(
        demand_id=demand.pk,
        code=demand.code,
        text=text,
        title=title,
        community_id=community.pk if community else None,
        street_id=community.parent_id if community else None,
        registered_at=at,
        complainant_id=resident.pk if resident else None,
        category_id=category.pk if category else None,
    )
    if _auto_merge_on() and channel in PUBLIC_CHANNELS and community is not None and not demand.junk:
        # Only a word-for-word copy (after normalisation) of an open demand here is merged without a person.
        master_id = identical_open_demand(text=text, community_id=community.pk, exclude_demand_id=demand.pk)
        if master_id is not None:
            master = lock_demand(master_id)
            if master.master_id is None and master.status in MERGE_MASTER_STATUSES:
                merge_into(demand, master, actor=None, note=f"与 {master.code} 内容相同，自动合并")
                return demand
    return prefetched(demand, events=[registered], assignments=[], callbacks=[], duplicates=[])


@transaction.atomic
def demand_resolve_at_intake(
    *, actor, demand_id: int, answer: str, expected_version: int | None = None
) -> Demand:
    """Answer on the spot (直接办结), e.g. a consultation answered during the call."""
    answer = clean_text(answer)
    if not answer:
        raise ReasonRequired("请填写答复内容", "The answer is required")
    demand = lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, "resolve_at_intake", demand)
    target = check_demand_move("resolve_at_intake", demand)
    at = now()
    old = {"status": demand.status}
    demand.status, demand.reply_text, demand.replied_at, demand.closed_at = target, answer, at, at
    demand.resolved, demand.resolved_at_intake, demand.finished_on_time = True, True, True
    # A community or street worker answering a walk-in on the spot is resolution at the grassroots; so is
    # an issue settled during a night visit, in the community, whoever of the team logged it.
    demand.resolved_by_grassroots = bool(
        (actor.unit_id and actor.unit.is_grassroots) or demand.channel == Channel.NIGHT_VISIT
    )
    save_demand(
        demand,
        [
            "status",
            "reply_text",
            "replied_at",
            "closed_at",
            "resolved",
            "resolved_at_intake",
            "finished_on_time",
            "resolved_by_grassroots",
        ],
    )
    record(
        demand, EventKind.RESOLVED_AT_INTAKE, actor=actor, at=at, old=old, new={"status": target}, note=answer
    )
    signature_update(demand_id=demand.pk, is_open=False)
    return demand
