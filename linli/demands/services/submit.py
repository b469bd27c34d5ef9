"""One way in for a new demand: register it, answer it at once if it was answered on the spot, keep its
photos, and do all of it once per idempotency key.

The JSON API, the intake page, the portal and the night-visit log call ``demand_submit``; none of them
combines registration, resolution at intake, attachments and idempotency itself. The steps are the
services they always were (``demand_register``, ``demand_resolve_at_intake``, ``core``'s
``attachment_store``), so the errors and the events are theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from linli.core.idempotency import idempotent
from linli.core.models import Attachment
from linli.core.services import attachment_discard, attachment_store
from linli.demands.models import Demand
from linli.demands.services.intake import demand_resolve_at_intake, register_in_transaction, registering

DEMAND_SUBJECT = "demand"  # the subject type of a demand's attachments


@dataclass(frozen=True)
class Once:
    """Idempotency: the first answer under (scope, key) is stored and given back to a repeat of the same
    request (same fingerprint); a different request under a used key is refused. No key: no replay."""

    scope: str
    key: str | None
    fingerprint: str


@dataclass(frozen=True)
class Submitted:
    receipt: Any  # what ``receipt`` made of the demand the first time (the stored answer, on a replay)
    replayed: bool
    demand: Demand | None  # None on a replay: nothing was registered this time


def _id_only(demand: Demand, photos: list[Attachment]) -> dict:
    return {"id": demand.pk, "code": demand.code}


def demand_submit(
    *,
    actor,
    answer: str | None = None,
    photos: Sequence[Any] = (),
    once: Once | None = None,
    receipt: Callable[[Demand, list[Attachment]], Any] = _id_only,
    **fields: Any,
) -> Submitted:
    """Register a demand (``fields`` are ``demand_register``'s) in the name of ``actor``; with ``answer``
    (even an empty one, which is refused), resolve it at intake at once: answered on the phone, at the
    counter or during a night visit. ``photos`` are stored as its attachments. One transaction: a refusal at
    any step leaves no demand, no event and no file. With ``once``, a repeat gives back the first receipt."""
    stored: list[Attachment] = []
    made: list[Demand] = []
    uploader = actor if actor is not None and getattr(actor, "pk", None) else None

    def produce() -> tuple[int, Any]:
        demand = register_in_transaction(actor=actor, **fields)  # inside the transaction below
        if answer is not None:
            demand = demand_resolve_at_intake(actor=actor, demand_id=demand.pk, answer=answer)
        for upload in photos:
            stored.append(
                attachment_store(
                    subject_type=DEMAND_SUBJECT, subject_id=demand.pk, upload=upload, uploaded_by=uploader
                )
            )
        made.append(demand)
        return 201, receipt(demand, stored)

    def run() -> tuple[Any, bool]:
        stored.clear()
        made.clear()
        try:
            with transaction.atomic():
                if once is None:
                    return produce()[1], False
                _status, body, replayed = idempotent(
                    scope=once.scope, key=once.key, fingerprint=once.fingerprint, produce=produce
                )
                return body, replayed
        except BaseException:
            for attachment in stored:  # the rows rolled back; the files were written before them
                attachment_discard(attachment)
            raise

    body, replayed = registering(run)  # the whole transaction again if the registration clashed
    return Submitted(receipt=body, replayed=replayed, demand=made[0] if made else None)
