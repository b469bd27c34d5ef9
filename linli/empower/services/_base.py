"""Shared helpers of the empowerment services: the event row and input cleaning."""

from __future__ import annotations

import datetime as dt

from linli.core import clock
from linli.core.text import clean_text, normalize_phone
from linli.empower.errors import BadInput, NotAllowed
from linli.empower.models import EmpowerEvent


def record(subject_type: str, subject_id: int, kind: str, *, actor=None, old=None, new=None, note: str = ""):
    return EmpowerEvent.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        at=clock.now(),
        old=old or {},
        new=new or {},
        note=note[:200],
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


def phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except ValueError:
        raise BadInput(
            "电话号码格式不对", "The phone number is not valid", details={"phone": "invalid"}
        ) from None


def period(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise BadInput(
            "结束日期早于开始日期",
            "The end date is before the start date",
            details={"ends_on": "before start"},
        )
