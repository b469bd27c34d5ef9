"""赋能 JSON endpoints under /api/v1/empower/: postings, volunteers, teams and rosters, the day's duty, my page.

The routes admit the empowerment accounts too (``empower=True``); what each may see is decided by
``empower.permissions`` (a volunteer: their own shifts and hours; an instructor: their postings' communities).
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from linli.core import clock
from linli.empower import selectors as sel
from linli.empower import services as s
from linli.empower.errors import VolunteerNotFound
from linli.empower.permissions import access_posting, access_team, access_term, own_volunteer
from linli.empower.report import patrol_weeks, posting_record
from linli.org.auth import BearerTokenAuth, BrowserSessionAuth

router = Router(tags=["赋能 empower"], auth=[BearerTokenAuth(empower=True), BrowserSessionAuth(empower=True)])


class PostingOut(Schema):
    id: int
    kind: str
    cadre_name: str
    rank: str
    home_unit: str
    community: str
    starts_on: dt.date
    ends_on: dt.date | None
    tasks: list[str]


class PostingMeetingOut(Schema):
    id: int
    topic: str
    held_at: dt.datetime


class ActivityOut(Schema):
    label: str
    count: int


class PostingRecordOut(Schema):
    posting: PostingOut
    period_from: dt.date
    period_to: dt.date
    meetings: list[PostingMeetingOut]
    demands_total: int
    demands_closed: int
    activities: list[ActivityOut]


class VolunteerIn(Schema):
    name: str
    phone: str
    community_id: int
    consent_on: dt.date
    skills: str = ""
    availability: list[str] = []


class VolunteerOut(Schema):
    id: int
    name: str
    phone: str
    community: str
    skills: str
    availability: list[str]
    hours: float


class WeekOut(Schema):
    week: dt.date
    count: int
    after: bool


class TermOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    shifts: int
    places: int
    filled: int
    unfilled_shifts: int


class PatrolTeamOut(Schema):
    id: int
    name: str
    community: str
    school: str
    members_by_partner: dict[str, int]
    terms: list[TermOut]
    patrol_began_on: dt.date | None
    demands_per_week_before: float
    demands_per_week_after: float
    weeks: list[WeekOut]


class RosterPlanOut(Schema):
    placed: int
    unfilled_shifts: int
    hours_spread: float


class RosterGapOut(Schema):
    unit: str
    needed: int
    missing: int
    reason: str
    free: int


class UnfilledOut(Schema):
    shift_id: int
    date: dt.date
    gate: str
    start: str
    end: str
    gaps: list[RosterGapOut]


class AssignIn(Schema):
    volunteer_id: int


class SwapIn(Schema):
    to_volunteer_id: int


class NoShowIn(Schema):
    cover_volunteer_id: int | None = None


class SwapRequestIn(Schema):
    reason: str = ""


class ShiftAssignmentOut(Schema):
    id: int
    shift_id: int
    date: dt.date
    gate: str
    start: str
    end: str
    volunteer: str
    status: str
    locked: bool
    minutes: int


class DutyOut(Schema):
    assignment: ShiftAssignmentOut
    changed: bool


class SwapRequestOut(Schema):
    id: int
    assignment_id: int
    status: str


class VolunteerMeOut(Schema):
    name: str
    hours: float
    level: str
    next_level: str
    missing_hours: float
    shifts: list[ShiftAssignmentOut]


def _posting(p) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "cadre_name": p.cadre_name,
        "rank": p.rank,
        "home_unit": p.home_unit.name,
        "community": p.community.name,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "tasks": p.tasks,
    }


def _assignment(a) -> dict:
    t = a.shift.template
    return {
        "id": a.pk,
        "shift_id": a.shift_id,
        "date": a.shift.date,
        "gate": t.gate,
        "start": f"{t.start:%H:%M}",
        "end": f"{t.end:%H:%M}",
        "volunteer": a.volunteer.name,
        "status": a.status,
        "locked": a.locked,
        "minutes": a.minutes,
    }


@router.get("/postings", response=list[PostingOut], summary="派驻记录 / Postings of instructors")
def empower_posting_list(request):
    return [_posting(p) for p in sel.posting_list(user=request.auth)[:500]]


@router.get("/postings/{posting_id}", response=PostingRecordOut, summary="派驻履职记录 / A posting's record")
def empower_posting_detail(request, posting_id: int):
    posting = access_posting(request.auth, posting_id)
    rec = posting_record(user=request.auth, posting=posting)
    return {
        "posting": _posting(posting),
        "period_from": rec["from"],
        "period_to": rec["to"],
        "meetings": [{"id": m.pk, "topic": m.topic, "held_at": m.held_at} for m in rec["meetings"]],
        "demands_total": rec["demands_total"],
        "demands_closed": rec["demands_closed"],
        "activities": [{"label": e["label"], "count": e["count"]} for e in rec["extra"]],
    }


def _volunteer(user, v, phone: str | None = None) -> dict:
    return {
        "id": v.pk,
        "name": v.name,
        "phone": phone if phone is not None else sel.phone_shown(user, v),
        "community": v.community.name,
        "skills": v.skills,
        "availability": v.availability,
        "hours": round((getattr(v, "minutes", None) or 0) / 60, 1),
    }


@router.get("/volunteers", response=list[VolunteerOut], summary="志愿者名册 / Volunteer registry")
def empower_volunteer_list(request, q: str = "", offset: int = 0, limit: int = 100):
    rows = sel.volunteer_list(user=request.auth, q=q.strip())[
        max(offset, 0) : max(offset, 0) + min(max(limit, 1), 500)
    ]
    phones = sel.phones_shown(request.auth, rows)
    return [_volunteer(request.auth, v, phones[v.pk]) for v in rows]


@router.post("/volunteers", response={201: VolunteerOut}, summary="登记志愿者 / Register a volunteer")
def empower_volunteer_create(request, body: VolunteerIn):
    v = s.volunteer_create(
        actor=request.auth,
        name=body.name,
        phone_number=body.phone,
        community_id=body.community_id,
        consent_on=body.consent_on,
        skills=body.skills,
        availability=body.availability,
    )
    return 201, _volunteer(request.auth, v)


@router.get(
    "/teams/{team_id}", response=PatrolTeamOut, summary="护学队 / A team, its terms and its hot issue"
)
def empower_team_detail(request, team_id: int):
    team = access_team(request.auth, team_id)
    weeks = patrol_weeks(user=request.auth, team=team)
    terms = []
    for term in team.terms.all():
        r = sel.roster_summary(term=term)
        terms.append(
            {
                "id": term.pk,
                "name": term.name,
                "starts_on": term.starts_on,
                "ends_on": term.ends_on,
                "shifts": r.shifts,
                "places": r.places,
                "filled": r.filled,
                "unfilled_shifts": r.unfilled_shifts,
            }
        )
    return {
        "id": team.pk,
        "name": team.name,
        "community": team.community.name,
        "school": team.school,
        "members_by_partner": sel.partner_counts(team=team),
        "terms": terms,
        "patrol_began_on": team.patrol_began_on,
        "demands_per_week_before": weeks["before"],
        "demands_per_week_after": weeks["after"],
        "weeks": weeks["rows"],
    }


@router.post(
    "/terms/{term_id}/plan",
    response=RosterPlanOut,
    summary="排班（保留锁定） / Plan the roster, keeping locks",
)
def empower_roster_plan(request, term_id: int):
    result = s.roster_plan(actor=request.auth, term_id=term_id)
    return {
        "placed": len(result.placed),
        "unfilled_shifts": len({g.slot_id for g in result.gaps}),
        "hours_spread": result.spread_hours(),
    }


@router.get(
    "/terms/{term_id}/unfilled",
    response=list[UnfilledOut],
    summary="未排满的班次及原因 / Unfilled shifts and why",
)
def empower_unfilled_list(request, term_id: int):
    term = access_term(request.auth, term_id)
    return [
        {
            "shift_id": sh.pk,
            "date": sh.date,
            "gate": sh.template.gate,
            "start": f"{sh.template.start:%H:%M}",
            "end": f"{sh.template.end:%H:%M}",
            "gaps": sh.gaps,
        }
        for sh in sel.unfilled_shifts(term=term)
    ]


@router.post(
    "/shifts/{shift_id}/assignments", response={201: ShiftAssignmentOut}, summary="手动排班 / Assign by hand"
)
def empower_assignment_add(request, shift_id: int, body: AssignIn):
    return 201, _assignment(
        s.assignment_add(actor=request.auth, shift_id=shift_id, volunteer_id=body.volunteer_id)
    )


@router.post(
    "/assignments/{assignment_id}/check-in", response=DutyOut, summary="签到（幂等） / Check in (idempotent)"
)
def empower_check_in(request, assignment_id: int):
    row, changed = s.assignment_check_in(actor=request.auth, assignment_id=assignment_id)
    return {"assignment": _assignment(row), "changed": changed}


@router.post("/assignments/{assignment_id}/check-out", response=DutyOut, summary="签退 / Check out")
def empower_check_out(request, assignment_id: int):
    row, changed = s.assignment_check_out(actor=request.auth, assignment_id=assignment_id)
    return {"assignment": _assignment(row), "changed": changed}


@router.post(
    "/assignments/{assignment_id}/swap-request", response=SwapRequestOut, summary="申请换班 / Ask for a swap"
)
def empower_swap_request(request, assignment_id: int, body: SwapRequestIn):
    req = s.swap_request(actor=request.auth, assignment_id=assignment_id, reason=body.reason)
    return {"id": req.pk, "assignment_id": req.assignment_id, "status": req.status}


@router.post(
    "/assignments/{assignment_id}/swap", response=ShiftAssignmentOut, summary="换班 / Hand a shift over"
)
def empower_assignment_swap(request, assignment_id: int, body: SwapIn):
    return _assignment(
        s.assignment_swap(
            actor=request.auth, assignment_id=assignment_id, to_volunteer_id=body.to_volunteer_id
        )
    )


@router.post(
    "/assignments/{assignment_id}/no-show",
    response=list[ShiftAssignmentOut],
    summary="缺勤与顶班 / No-show, with cover",
)
def empower_no_show(request, assignment_id: int, body: NoShowIn):
    cover = s.assignment_no_show(
        actor=request.auth, assignment_id=assignment_id, cover_volunteer_id=body.cover_volunteer_id
    )
    return [_assignment(cover)] if cover else []


@router.get("/me", response=VolunteerMeOut, summary="我的班次与时长 / My shifts and hours")
def empower_me(request):
    volunteer = own_volunteer(request.auth)
    if volunteer is None:
        raise VolunteerNotFound()
    level = sel.level_for(sel.volunteer_minutes(volunteer=volunteer))
    return {
        "name": volunteer.name,
        "hours": level["hours"],
        "level": level["level"],
        "next_level": level["next"],
        "missing_hours": level["missing_hours"],
        "shifts": [_assignment(a) for a in sel.my_shifts(volunteer=volunteer, date_from=clock.today())],
    }
