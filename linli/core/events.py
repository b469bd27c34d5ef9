"""The one base of every event table: who did what, when — appended once, never changed.

``EventBase`` is an ``AppendOnlyModel`` (the ORM refuses updates and deletes;
the ``append_only_trigger`` of each app's migration makes PostgreSQL refuse
them too) with the fields every event shares and one way to write a row:

    RequestEvent.record(EventKind.FILED, actor=user, request=req, office=...)

Each table adds its subject (a foreign key, or ``subject_type`` +
``subject_id``), declares ``kind`` with its app's choices, and its payload
(``old``/``new``/``note``, ``reason``/``data`` …). A table may redeclare a
shared field to keep the column it had before the base existed (demands' and
dispatch's events keep their indexed ``at``), or drop ``actor`` with
``actor = None`` when no person acts (dispatch decisions).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from linli.core import clock
from linli.core.appendonly import AppendOnlyModel


def json_value(value: Any) -> Any:
    """A value as an event's JSON payload keeps it: local ISO time, dates and decimals as text."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


def acting(actor) -> Any:
    """The person on record: None for the system, a task or an anonymous resident (no saved account)."""
    return actor if actor is not None and getattr(actor, "pk", None) else None


class EventBase(AppendOnlyModel):
    """An append-only event row: ``kind`` (declared by each table), ``actor``, ``at``; ordered by time."""

    # PROTECT: a person who acted stays on record (deactivate the account instead of deleting it)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间")

    class Meta(AppendOnlyModel.Meta):
        abstract = True
        ordering = ["at", "pk"]

    @classmethod
    def record(cls, kind: str, *, actor=None, at: dt.datetime | None = None, **fields: Any):
        """Append one row of ``kind`` now (or ``at``); dict payloads (``old``, ``new``, ``data``) are made
        JSON-safe value by value. ``actor`` is None for a table without one."""
        values: dict[str, Any] = {
            name: {k: json_value(v) for k, v in value.items()} if isinstance(value, dict) else value
            for name, value in fields.items()
        }
        try:
            cls._meta.get_field("actor")
        except FieldDoesNotExist:
            if actor is not None:
                raise TypeError(f"{cls.__name__} records no actor") from None
        else:
            values["actor"] = acting(actor)
        return cls.objects.create(kind=kind, at=at or clock.now(), **values)
