"""Shared helpers of the visits services: the event row and input cleaning."""

from __future__ import annotations

from linli.core.text import clean_text
from linli.visits.errors import BadInput, NotAllowed
from linli.visits.models import VisitsEvent


def record(subject_type: str, subject_id: int, kind: str, *, actor=None, old=None, new=None, note: str = ""):
    return VisitsEvent.record(
        kind,
        actor=actor,
        subject_type=subject_type,
        subject_id=subject_id,
        old=old or {},
        new=new or {},
        note=note,
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed()


def text(value, name: str, *, max_len: int, required: bool = True) -> str:
    value = clean_text(value or "")
    if required and not value:
        raise BadInput("请填写必填项", "A required field is empty", details={name: "required"})
    if len(value) > max_len:
        raise BadInput("内容过长", "The text is too long", details={name: f"at most {max_len}"})
    return value
