"""The one idiom for state machines: a table in the app's ``states.py`` and one check here.

A table maps each action to the statuses it may start from and the status it
leads to (None: the status stays, e.g. an opinion on a pending request):

    TASK_TRANSITIONS = {"refuse": (frozenset({TaskStatus.AWAITING}), TaskStatus.REFUSED), ...}

A service locks its row, asks ``transition_target`` and saves what it returns;
a status the action may not start from raises the app's stable typed error
(``access.task_transition_not_allowed``, ``visits.transition_not_allowed`` …)
with the action and the current status in its details.
"""

from __future__ import annotations

from collections.abc import Mapping

from linli.core.errors import ApplicationError

Transitions = Mapping[str, tuple[frozenset[str], str | None]]


def transition_target(
    table: Transitions, action: str, status: str, *, error: type[ApplicationError], **details
) -> str | None:
    """The status ``action`` leads to from ``status`` (None: unchanged); ``error`` if it may not start there."""
    allowed, target = table[action]
    if status not in allowed:
        raise error(details={"action": action, "status": str(status), **details})
    return target


def starting_from(table: Transitions, action: str) -> list[str]:
    """The statuses ``action`` may start from, e.g. to select the rows a sweep moves."""
    return sorted(table[action][0])


def moving(target: str | None, action: str) -> str:
    """The status of an action that always changes it (``transition_target`` or an app's check returned
    ``target``); None there is a mistake in the table, not a user's error."""
    if target is None:
        raise LookupError(f"the action {action!r} leaves the status unchanged in its table")
    return target
