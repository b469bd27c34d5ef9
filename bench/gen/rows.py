"""Row layouts of the bulk tables, the records a batch fills, and their encoding."""

from __future__ import annotations

import datetime as dt
import json
from operator import attrgetter

_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

DEMAND_COLS = (
    "id",
    "code",
    "demand_type",
    "urgency",
    "channel",
    "title",
    "text",
    "address",
    "community_id",
    "area_path",
    "latitude",
    "longitude",
    "category_id",
    "category_top_id",
    "complainant_id",
    "status",
    "version",
    "external_ref",
    "registered_at",
    "registered_by_id",
    "lead_unit_id",
    "dispatched_at",
    "sign_due",
    "finish_due",
    "replied_at",
    "reply_text",
    "finished_on_time",
    "callback_due",
    "called_back_at",
    "closed_at",
    "resolved",
    "resolved_at_intake",
    "resolved_by_grassroots",
    "satisfaction",
    "reopen_count",
    "return_count",
    "is_overdue",
    "callback_overdue_at",
    "escalation_count",
    "escalated_at",
    "master_id",
    "junk",
    "junk_reason",
)
ASSIGNMENT_COLS = (
    "id",
    "demand_id",
    "unit_id",
    "role",
    "status",
    "dispatched_at",
    "dispatched_by_id",
    "sign_due",
    "finish_due",
    "signed_at",
    "signed_by_id",
    "signed_on_time",
    "replied_at",
    "reply_text",
    "return_reason",
    "instructions",
    "sign_overdue_at",
    "finish_overdue_at",
)
EXTENSION_COLS = (
    "id",
    "assignment_id",
    "days",
    "reason",
    "status",
    "requested_by_id",
    "requested_at",
    "decided_by_id",
    "decided_at",
    "decision_note",
    "old_due",
    "new_due",
)
CALLBACK_COLS = ("id", "demand_id", "at", "by_id", "resolved", "satisfaction", "note", "on_time")
EVENT_COLS = ("id", "demand_id", "assignment_id", "kind", "actor_id", "at", "old", "new", "note")
RESIDENT_COLS = ("id", "name", "phone", "created_at")

HANDLING = ("registered", "dispatched", "in_progress", "returned")
ACTIVE = ("pending_sign", "signed", "return_requested")


class D:
    __slots__ = (*DEMAND_COLS, "assignments", "place", "cat", "policy")


class A:
    __slots__ = ASSIGNMENT_COLS


class X:
    __slots__ = (*EXTENSION_COLS, "assignment")


_demand_row, _assignment_row, _extension_row = (
    attrgetter(*DEMAND_COLS),
    attrgetter(*ASSIGNMENT_COLS),
    attrgetter(*EXTENSION_COLS),
)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_J_CACHE: dict[tuple, str] = {}


def _j(obj: dict | None) -> str:
    """JSON of an event payload, as json.dumps writes it; most payloads repeat, so they are cached."""
    if not obj:
        return "{}"
    try:
        key = tuple(obj.items())
        cached = _J_CACHE.get(key)
    except TypeError:  # a list inside
        key, cached = None, None
    if cached is not None:
        return cached
    parts = []
    for name, v in obj.items():
        if v.__class__ is str and '"' not in v and "\\" not in v:
            text = '"' + v + '"'
        elif v.__class__ is bool:
            text = "true" if v else "false"
        elif v is None:
            text = "null"
        elif v.__class__ is int:
            text = str(v)
        elif v.__class__ is X:  # an extension's id, known once the batch has its ids
            text = str(v.id)
        else:
            text = json.dumps(v, ensure_ascii=False)
        parts.append(f'"{name}": {text}')
    text = "{" + ", ".join(parts) + "}"
    if key is not None and len(_J_CACHE) < 100_000 and not any(v.__class__ is X for v in obj.values()):
        _J_CACHE[key] = text
    return text


def _code6(n: int) -> str:
    """Six characters of the tracking-code alphabet, unique for n < 31**6, that do not look sequential."""
    n = (n * 1_000_003) % (31**6)
    out = ""
    for _ in range(6):
        n, r = divmod(n, 31)
        out += _CODE_ALPHABET[r]
    return out
