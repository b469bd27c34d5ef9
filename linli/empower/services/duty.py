"""On the day: check-in and check-out (idempotent), no-shows with cover, swap requests and swaps."""

from __future__ import annotations

from django.db import transaction

from linli.core import clock
from linli.empower.errors import NotShiftDay, TransitionNotAllowed
from linli.empower.models import Assignment, Shift, SwapRequest
from linli.empower.permissions import access_assignment
from linli.empower.services._base import record, text
from linli.empower.services.roster import place
from linli.empower.states import TRANSITIONS, AssignmentStatus, EventKind, SwapStatus


def _lock(row: Assignment) -> Assignment:
    locked = (
        Assignment.objects.select_for_update()
        .select_related("shift__template", "shift__term__team")
        .get(pk=row.pk)
    )
    return locked


def _move(row: Assignment, to: str, fields: list[str]) -> None:
    if to not in TRANSITIONS[row.status]:
        raise TransitionNotAllowed(details={"from": row.status, "to": to})
    row.status = to
    row.version += 1
    row.save(update_fields=["status", "version", *fields])


def _on_the_day(row: Assignment) -> None:
    if clock.today() != row.shift.date:
        raise NotShiftDay(details={"date": str(row.shift.date)})


@transaction.atomic
def assignment_check_in(*, actor, assignment_id: int) -> tuple[Assignment, bool]:
    """Answers (row, changed): a second check-in changes nothing and says so."""
    row = _lock(access_assignment(actor, assignment_id, own=True))
    if row.status in (AssignmentStatus.CHECKED_IN, AssignmentStatus.CHECKED_OUT):
        return row, False
    _on_the_day(row)
    row.checked_in_at = clock.now()
    _move(row, AssignmentStatus.CHECKED_IN, ["checked_in_at"])
    record("assignment", row.pk, EventKind.CHECKED_IN, actor=actor, new={"at": row.checked_in_at.isoformat()})
    return row, True


@transaction.atomic
def assignment_check_out(*, actor, assignment_id: int) -> tuple[Assignment, bool]:
    """Counts the shift's scheduled minutes into the hours ledger; a second check-out changes nothing."""
    row = _lock(access_assignment(actor, assignment_id, own=True))
    if row.status == AssignmentStatus.CHECKED_OUT:
        return row, False
    _on_the_day(row)
    t = row.shift.template
    row.checked_out_at = clock.now()
    row.minutes = (t.end.hour * 60 + t.end.minute) - (t.start.hour * 60 + t.start.minute)
    _move(row, AssignmentStatus.CHECKED_OUT, ["checked_out_at", "minutes"])
    record("assignment", row.pk, EventKind.CHECKED_OUT, actor=actor, new={"minutes": row.minutes})
    return row, True


@transaction.atomic
def assignment_no_show(
    *, actor, assignment_id: int, cover_volunteer_id: int | None = None
) -> Assignment | None:
    """Marks a no-show; with a cover volunteer, puts them on the shift instead (refused if double-booked).
    Answers the cover's assignment, if any."""
    row = _lock(access_assignment(actor, assignment_id))
    _move(row, AssignmentStatus.NO_SHOW, [])
    record("assignment", row.pk, EventKind.NO_SHOW, actor=actor, old={"status": "assigned"})
    if cover_volunteer_id is None:
        return None
    Shift.objects.select_for_update().get(pk=row.shift_id)
    cover = place(actor, row.shift, cover_volunteer_id, cover_for=row)
    record(
        "assignment",
        cover.pk,
        EventKind.COVERED,
        actor=actor,
        new={"cover_for": row.pk, "volunteer": cover_volunteer_id},
    )
    return cover


@transaction.atomic
def swap_request(*, actor, assignment_id: int, reason: str = "") -> SwapRequest:
    """The volunteer asks to hand a shift over; asking again while one is open answers the open one."""
    row = _lock(access_assignment(actor, assignment_id, own=True))
    if row.status != AssignmentStatus.ASSIGNED:
        raise TransitionNotAllowed(details={"status": row.status})
    open_one = SwapRequest.objects.filter(assignment=row, status=SwapStatus.OPEN).first()
    if open_one:
        return open_one
    req = SwapRequest.objects.create(
        assignment=row, reason=text(reason, "reason", max_len=200, required=False)
    )
    record(
        "assignment",
        row.pk,
        EventKind.SWAP_REQUESTED,
        actor=actor,
        new={"swap": req.pk, "reason": req.reason},
    )
    return req


@transaction.atomic
def assignment_swap(*, actor, assignment_id: int, to_volunteer_id: int) -> Assignment:
    """A community worker hands the shift to another team member (refused if double-booked); an open swap
    request on it is marked done. Answers the new assignment."""
    row = _lock(access_assignment(actor, assignment_id))
    Shift.objects.select_for_update().get(pk=row.shift_id)
    _move(row, AssignmentStatus.SWAPPED, [])
    new = place(actor, row.shift, to_volunteer_id, cover_for=row)
    SwapRequest.objects.filter(assignment=row, status=SwapStatus.OPEN).update(status=SwapStatus.DONE)
    record(
        "assignment",
        row.pk,
        EventKind.SWAPPED,
        actor=actor,
        old={"volunteer": row.volunteer_id},
        new={"volunteer": to_volunteer_id, "assignment": new.pk},
    )
    return new
