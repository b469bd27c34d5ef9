"""The current time for services.

Services ask ``clock.now()`` instead of ``timezone.now()`` so that the demo
generator and historical imports can replay a step at the time it happened
(``with clock.at(moment): ...``), without touching the system clock.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("linli_clock", default=None)


def now() -> dt.datetime:
    return _override.get() or timezone.now()


@contextlib.contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("naive datetime")
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
