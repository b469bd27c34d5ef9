"""Every read of the empowerment app that a page, the API or a file uses."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_noop

from linli.core import calendar, clock
from linli.core.text import mask_phone
from linli.empower.models import Assignment, Posting, Shift, SwapRequest, Team, TeamMember, Term, Volunteer
from linli.empower.permissions import community_q, managed_community_ids, sees_full_phone
from linli.empower.states import ACTIVE, AssignmentStatus, PartnerUnit, SwapStatus

# Recognition levels by hours served: (hours, name zh, name en), lowest first. Configurable in settings.
DEFAULT_LEVELS = (
    (20, gettext_noop("铜牌志愿者"), "Bronze volunteer"),
    (50, gettext_noop("银牌志愿者"), "Silver volunteer"),
    (100, gettext_noop("金牌志愿者"), "Gold volunteer"),
)


def levels() -> tuple[tuple[int, str, str], ...]:
    return tuple(sorted(getattr(settings, "LINLI_VOLUNTEER_LEVELS", DEFAULT_LEVELS)))


def level_for(minutes: int) -> dict:
    """The level reached and the next one, with the hours still missing."""
    hours = minutes / 60
    reached, nxt = None, None
    for row in levels():
        if hours >= row[0]:
            reached = row
        elif nxt is None:
            nxt = row
    return {
        "hours": round(hours, 1),
        "level": reached[1] if reached else "",
        "level_en": reached[2] if reached else "",
        "next": nxt[1] if nxt else "",
        "next_hours": nxt[0] if nxt else None,
        "missing_hours": round(nxt[0] - hours, 1) if nxt else 0,
    }


# --- the school calendar ----------------------------------------------------------------------------------


def is_school_day(term: Term, day: dt.date, breaks=None) -> bool:
    """A working day of ``core.calendar`` (holidays and 调休 included) inside the term, outside its breaks."""
    if not term.starts_on <= day <= term.ends_on or not calendar.is_workday(day):
        return False
    rows = breaks if breaks is not None else list(term.breaks.values_list("starts_on", "ends_on"))
    return not any(a <= day <= b for a, b in rows)


def school_days(term: Term) -> list[dt.date]:
    breaks = list(term.breaks.values_list("starts_on", "ends_on"))
    n = (term.ends_on - term.starts_on).days + 1
    days = (term.starts_on + dt.timedelta(days=i) for i in range(n))
    return [d for d in days if is_school_day(term, d, breaks)]


# --- people -----------------------------------------------------------------------------------------------


def volunteer_list(*, user, q: str = "") -> QuerySet[Volunteer]:
    scope = community_q(user)
    if scope is None:
        return Volunteer.objects.none()
    qs = Volunteer.objects.filter(scope).select_related("community")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(skills__contains=q) | Q(phone__endswith=q))
    hours = Sum("assignments__minutes", filter=Q(assignments__status=AssignmentStatus.CHECKED_OUT))
    return qs.annotate(minutes=hours).order_by("community__name", "name", "pk")


def phone_shown(user, volunteer: Volunteer) -> str:
    return volunteer.phone if sees_full_phone(user, volunteer) else mask_phone(volunteer.phone)


def phones_shown(user, volunteers) -> dict[int, str]:
    """The phone of each volunteer as this user may see it, deciding who they manage once (one query)."""
    managed = managed_community_ids(user)
    return {
        v.pk: v.phone if managed is None or v.community_id in managed else mask_phone(v.phone)
        for v in volunteers
    }


def posting_list(*, user) -> QuerySet[Posting]:
    scope = community_q(user)
    own = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    if scope is None:
        q = own
    elif not scope:  # every community (an empty Q would vanish in the OR below)
        q = Q()
    else:
        q = scope | own
    return Posting.objects.filter(q).select_related("community", "home_unit").order_by("-starts_on", "pk")


def team_list(*, user) -> QuerySet[Team]:
    scope = community_q(user)
    if scope is None:
        return Team.objects.none()
    return Team.objects.filter(scope).select_related("community").annotate(n_members=Count("members"))


def team_members(*, team: Team) -> list[TeamMember]:
    return list(team.members.select_related("volunteer").order_by("partner", "volunteer__name"))


def partner_counts(*, team: Team) -> dict[str, int]:
    counts = Counter(team.members.values_list("partner", flat=True))
    return {label: counts.get(value, 0) for value, label in PartnerUnit.choices}


# --- the roster ---------------------------------------------------------------------------------------------


@dataclass
class RosterSummary:
    shifts: int
    places: int
    filled: int
    unfilled_shifts: int
    reasons: dict[str, int]


def roster_summary(*, term: Term) -> RosterSummary:
    shifts = Shift.objects.filter(term=term).select_related("template")
    places = sum(s.template.size for s in shifts)
    filled = Assignment.objects.filter(shift__term=term, status__in=ACTIVE).count()
    reasons: Counter = Counter()
    unfilled = 0
    for s in shifts:
        if s.gaps:
            unfilled += 1
            reasons.update(g["reason"] for g in s.gaps)
    return RosterSummary(len(shifts), places, filled, unfilled, dict(reasons))


def shift_table(*, term: Term, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """The shifts of a period with their people, in two queries."""
    shifts = list(
        Shift.objects.filter(term=term, date__gte=date_from, date__lte=date_to)
        .select_related("template")
        .order_by("date", "template__start", "template__gate")
    )
    rows = Assignment.objects.filter(shift__in=shifts).select_related("volunteer").order_by("pk")
    by_shift = defaultdict(list)
    for a in rows:
        by_shift[a.shift_id].append(a)
    return [{"shift": s, "assignments": by_shift[s.pk]} for s in shifts]


def unfilled_shifts(*, term: Term, limit: int = 200) -> list[Shift]:
    return list(
        Shift.objects.filter(term=term)
        .exclude(gaps=[])
        .select_related("template")
        .order_by("date", "template__start")[:limit]
    )


def open_swaps(*, term: Term) -> QuerySet[SwapRequest]:
    return SwapRequest.objects.filter(assignment__shift__term=term, status=SwapStatus.OPEN).select_related(
        "assignment__volunteer", "assignment__shift__template"
    )


def hours_spread(*, term: Term) -> dict:
    per = dict(
        Assignment.objects.filter(shift__term=term, status__in=ACTIVE)
        .values("volunteer_id")
        .annotate(n=Count("pk"))
        .values_list("volunteer_id", "n")
    )
    n = TeamMember.objects.filter(team=term.team).count()
    counts = list(per.values()) + [0] * max(0, n - len(per))
    return {"min": min(counts, default=0), "max": max(counts, default=0), "serving": len(per), "members": n}


# --- a volunteer's own -----------------------------------------------------------------------------------


def my_shifts(*, volunteer: Volunteer, date_from: dt.date, days: int = 14) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            volunteer=volunteer,
            shift__date__gte=date_from,
            shift__date__lt=date_from + dt.timedelta(days=days),
        )
        .exclude(status=AssignmentStatus.SWAPPED)
        .select_related("shift__template", "shift__term__team")
        .prefetch_related("swap_requests")
        .order_by("shift__date", "shift__template__start")
    )


def hours_ledger(*, volunteer: Volunteer) -> list[Assignment]:
    return list(
        Assignment.objects.filter(volunteer=volunteer, status=AssignmentStatus.CHECKED_OUT)
        .select_related("shift__template", "shift__term__team")
        .order_by("shift__date", "shift__template__start")
    )


def volunteer_minutes(*, volunteer: Volunteer) -> int:
    total = Assignment.objects.filter(volunteer=volunteer, status=AssignmentStatus.CHECKED_OUT).aggregate(
        m=Sum("minutes")
    )["m"]
    return total or 0


def today() -> dt.date:
    return clock.today()
