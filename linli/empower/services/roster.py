"""The school calendar, shift templates, shifts of a term, the roster plan and manual assignment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db import transaction

from linli.core import clock
from linli.empower import roster
from linli.empower.errors import BadInput, DoubleBooked, NotInTeam, NotSchoolDay
from linli.empower.models import Assignment, Shift, ShiftTemplate, TeamMember, Term, TermBreak
from linli.empower.permissions import access_shift, access_team, access_term, access_volunteer
from linli.empower.selectors import is_school_day, school_days
from linli.empower.services._base import period, record, text
from linli.empower.states import ACTIVE, AssignmentStatus, EventKind, PartnerUnit


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@transaction.atomic
def term_create(*, actor, team_id: int, name: str, starts_on: dt.date, ends_on: dt.date) -> Term:
    team = access_team(actor, team_id, for_write=True)
    period(starts_on, ends_on)
    if (ends_on - starts_on).days > 200:
        raise BadInput(
            "学期不能超过200天", "A term cannot be longer than 200 days", details={"ends_on": "too long"}
        )
    term = Term.objects.create(
        team=team, name=text(name, "name", max_len=60), starts_on=starts_on, ends_on=ends_on
    )
    record(
        "term",
        term.pk,
        EventKind.CREATED,
        actor=actor,
        new={"name": term.name, "from": str(starts_on), "to": str(ends_on)},
    )
    return term


@transaction.atomic
def term_break_add(*, actor, term_id: int, name: str, starts_on: dt.date, ends_on: dt.date) -> TermBreak:
    term = access_term(actor, term_id, for_write=True)
    period(starts_on, ends_on)
    row = TermBreak.objects.create(
        term=term, name=text(name, "name", max_len=60), starts_on=starts_on, ends_on=ends_on
    )
    record(
        "term",
        term.pk,
        EventKind.CHANGED,
        actor=actor,
        new={"break": row.name, "from": str(starts_on), "to": str(ends_on)},
    )
    return row


@transaction.atomic
def shift_template_add(
    *,
    actor,
    team_id: int,
    gate: str,
    start: dt.time,
    end: dt.time,
    size: int,
    weekdays: Sequence[int] = (0, 1, 2, 3, 4),
    minimums: Mapping[str, int] | None = None,
) -> ShiftTemplate:
    team = access_team(actor, team_id, for_write=True)
    minimums = {k: int(v) for k, v in (minimums or {}).items() if int(v) > 0}
    if end <= start:
        raise BadInput(
            "结束时间须晚于开始时间", "The end time must be after the start", details={"end": "before start"}
        )
    if (
        not 1 <= size <= 50
        or any(k not in PartnerUnit.values for k in minimums)
        or sum(minimums.values()) > size
    ):
        raise BadInput(
            "每班人数或各方最少人数不对",
            "The size or the partner minimums are not valid",
            details={"size": size, "minimums": minimums},
        )
    days = sorted({int(d) for d in weekdays})
    if not days or any(not 0 <= d <= 6 for d in days):
        raise BadInput(details={"weekdays": list(weekdays)})
    row = ShiftTemplate.objects.create(
        team=team,
        gate=text(gate, "gate", max_len=60),
        start=start,
        end=end,
        size=size,
        weekdays=days,
        minimums=minimums,
    )
    record("team", team.pk, EventKind.CHANGED, actor=actor, new={"template": str(row), "minimums": minimums})
    return row


def _runs_on(template: ShiftTemplate, day: dt.date) -> bool:
    if day.weekday() in template.weekdays:
        return True
    return day.weekday() >= 5 and any(w < 5 for w in template.weekdays)


@transaction.atomic
def shifts_generate(*, actor, term_id: int) -> int:
    """Creates the shifts of every template on every school day of the term; existing ones stay. Idempotent.
    A weekend made a workday (调休) is a school day: it gets the shifts of every template that runs on
    weekdays."""
    term = access_term(actor, term_id, for_write=True)
    days = school_days(term)
    templates = list(term.team.templates.all())
    have = set(Shift.objects.filter(term=term).values_list("template_id", "date"))
    rows = [
        Shift(term=term, template=t, date=d)
        for d in days
        for t in templates
        if _runs_on(t, d) and (t.pk, d) not in have
    ]
    Shift.objects.bulk_create(rows, batch_size=1000)
    record(
        "term",
        term.pk,
        EventKind.SHIFTS_GENERATED,
        actor=actor,
        new={"shifts": len(rows), "school_days": len(days)},
    )
    return len(rows)


@transaction.atomic
def shift_add(*, actor, term_id: int, template_id: int, date: dt.date) -> Shift:
    """One extra shift by hand: only on a school day of the term (``empower.not_school_day`` otherwise)."""
    term = access_term(actor, term_id, for_write=True)
    template = ShiftTemplate.objects.filter(pk=template_id, team_id=term.team_id).first()
    if template is None:
        raise BadInput(details={"template": template_id})
    if not is_school_day(term, date):
        raise NotSchoolDay(details={"date": str(date)})
    shift, created = Shift.objects.get_or_create(term=term, template=template, date=date)
    if created:
        record(
            "shift",
            shift.pk,
            EventKind.CREATED,
            actor=actor,
            new={"date": str(date), "template": str(template)},
        )
    return shift


def _slot(shift: Shift) -> roster.Slot:
    t = shift.template
    return roster.Slot(
        shift.pk, shift.date, _minute(t.start), _minute(t.end), t.size, tuple(sorted(t.minimums.items()))
    )


@transaction.atomic
def roster_plan(*, actor, term_id: int) -> roster.Plan:
    """Fills the term's shifts from today on. Locked assignments and shifts already worked are kept and count;
    every other planned (not yet worked) assignment from today on is replaced. Gaps are stored on the shifts."""
    term = access_term(actor, term_id, for_write=True)
    term = Term.objects.select_for_update().get(pk=term.pk)
    team = term.team
    today = clock.today()
    shifts = list(Shift.objects.filter(term=term, date__gte=today).select_related("template"))
    replaced = Assignment.objects.filter(shift__in=shifts, status=AssignmentStatus.ASSIGNED, locked=False)
    n_replaced = replaced.count()
    replaced.delete()
    members = list(
        TeamMember.objects.filter(team=team, volunteer__is_active=True).select_related("volunteer")
    )
    people = [
        roster.Person(
            m.volunteer_id,
            m.partner,
            frozenset((int(s.split(":")[0]), s.split(":")[1]) for s in m.volunteer.availability),
        )
        for m in members
    ]
    # What stays: locked rows and shifts already worked or being worked, from today on.
    kept = Assignment.objects.filter(
        shift__term__team=team, shift__date__gte=today, status__in=ACTIVE
    ).values_list("shift_id", "volunteer_id", "partner")
    fixed = [roster.Fixed(s, v, p) for s, v, p in kept]
    result = roster.plan(
        [_slot(s) for s in shifts],
        people,
        fixed,
        roster.Rules(min_gap_minutes=team.min_gap_minutes, max_per_week=team.max_shifts_per_week),
    )
    Assignment.objects.bulk_create(
        [Assignment(shift_id=p.slot_id, volunteer_id=p.person_id, partner=p.unit) for p in result.placed],
        batch_size=1000,
    )
    gaps: dict[int, list] = {}
    for g in result.gaps:
        gaps.setdefault(g.slot_id, []).append(
            {"unit": g.unit, "needed": g.needed, "missing": g.missing, "reason": g.reason, "free": g.free}
        )
    changed = []
    for s in shifts:
        new = gaps.get(s.pk, [])
        if s.gaps != new:
            s.gaps = new
            changed.append(s)
    Shift.objects.bulk_update(changed, ["gaps"], batch_size=1000)
    term.planned_at = clock.now()
    term.save(update_fields=["planned_at"])
    record(
        "term",
        term.pk,
        EventKind.PLANNED,
        actor=actor,
        new={
            "shifts": len(shifts),
            "placed": len(result.placed),
            "kept": len(fixed),
            "replaced": n_replaced,
            "unfilled_shifts": len(gaps),
        },
    )
    return result


def clash(volunteer_id: int, shift: Shift, min_gap: int, *, exclude: int | None = None) -> bool:
    """The volunteer holds a shift that day that overlaps this one or is closer than ``min_gap`` minutes,
    or another shift in the same half-day."""
    start, end = _minute(shift.template.start), _minute(shift.template.end)
    rows = Assignment.objects.filter(volunteer_id=volunteer_id, shift__date=shift.date, status__in=ACTIVE)
    if exclude:
        rows = rows.exclude(pk=exclude)
    for s0, e0 in rows.values_list("shift__template__start", "shift__template__end"):
        a, b = _minute(s0), _minute(e0)
        if (a < 720) == (start < 720) or not (start >= b + min_gap or end + min_gap <= a):
            return True
    return False


def place(actor, shift: Shift, volunteer_id: int, *, cover_for: Assignment | None = None) -> Assignment:
    """A volunteer of the team on a shift by hand (locked), refused when double-booked."""
    team = shift.term.team
    volunteer = access_volunteer(actor, volunteer_id, for_write=True)
    member = TeamMember.objects.filter(team=team, volunteer=volunteer).first()
    if member is None:
        raise NotInTeam(details={"volunteer": volunteer_id})
    if clash(volunteer.pk, shift, team.min_gap_minutes):
        raise DoubleBooked(details={"volunteer": volunteer_id, "date": str(shift.date)})
    row = Assignment.objects.create(
        shift=shift, volunteer=volunteer, partner=member.partner, locked=True, cover_for=cover_for
    )
    return row


@transaction.atomic
def assignment_add(*, actor, shift_id: int, volunteer_id: int) -> Assignment:
    shift = access_shift(actor, shift_id, for_write=True)
    Shift.objects.select_for_update().get(pk=shift.pk)
    row = place(actor, shift, volunteer_id)
    record(
        "assignment",
        row.pk,
        EventKind.ASSIGNED,
        actor=actor,
        new={"shift": shift.pk, "volunteer": volunteer_id},
    )
    return row


@transaction.atomic
def assignment_lock(*, actor, assignment_id: int, locked: bool) -> Assignment:
    from linli.empower.permissions import access_assignment

    row = access_assignment(actor, assignment_id)
    row = Assignment.objects.select_for_update().get(pk=row.pk)
    if row.locked != locked:
        row.locked = locked
        row.version += 1
        row.save(update_fields=["locked", "version"])
        record(
            "assignment",
            row.pk,
            EventKind.CHANGED,
            actor=actor,
            old={"locked": not locked},
            new={"locked": locked},
        )
    return row
