"""What the visits pages share: running one service from a POST and the parsing of small inputs."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from linli.core.daterange import check_date
from linli.core.errors import ApplicationError
from linli.demands.selectors import DemandFilters, demand_list
from linli.ui.middleware import error_message
from linli.visits.errors import BadInput
from linli.visits.permissions import can_plan, meeting_visible, visit_visible  # noqa: F401  (visit_visible re-exported for the views)


def run(request, call, *, ok: str, back: str):
    """Call one service; a typed error becomes a message on the same page (nothing half-done: services are atomic)."""
    try:
        result = call()
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
        return redirect(back), None
    messages.success(request, ok)
    return None, result


def date_of(value: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise BadInput("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD", details={name: value}) from exc
    return check_date(day, field=name)


def time_of(value: str, name: str) -> dt.time:
    try:
        return dt.time.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise BadInput("时间格式应为 HH:MM", "Times are HH:MM", details={name: value}) from exc


def moment(date: dt.date, value: str, name: str) -> dt.datetime:
    """A time typed on the phone, on the round's evening; after midnight means the next day."""
    clock_time = time_of(value, name)
    day = date + dt.timedelta(days=1) if clock_time < dt.time(5, 0) else date
    return timezone.make_aware(dt.datetime.combine(day, clock_time))


def int_of(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise BadInput(details={name: "not a number"}) from exc


def ids_of(values, name: str) -> list[int]:
    return [i for i in (int_of(v, name) for v in values) if i is not None]


# --- which links a page may show: only to pages this person may open (the pages themselves check again) ---


def may_open_actions(user) -> bool:
    """The action-item list answers planners and anyone with a unit (their unit's items)."""
    return can_plan(user) or bool(user.unit_id)


def visible_demand_ids(user, ids) -> set[int]:
    """Of these demand ids, those this person may open (one query)."""
    ids = {i for i in ids if i}
    if not ids:
        return set()
    return set(
        demand_list(user=user, filters=DemandFilters()).filter(pk__in=ids).values_list("pk", flat=True)
    )


def visible_meeting_ids(user, meetings) -> set[int]:
    return {m.pk for m in meetings if m is not None and meeting_visible(user, m)}
