"""Every read of the programs app that a page, the API or the portal uses."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from linli.core import ratelimit
from linli.programs.errors import SignUpLocked, SignUpMismatch
from linli.programs.models import Attendance, Program, ProgramsEvent, Session, SignUp
from linli.programs.states import ProgramStatus, SignUpStatus

GUESS_LIMIT, GUESS_WINDOW, LOCK_SECONDS = 10, 3600, 3600


def program_list(*, visible: Q, status: str | None = None) -> QuerySet[Program]:
    qs = (
        Program.objects.filter(visible)
        .select_related("community")
        .annotate(
            confirmed=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)),
            waiting=Count("signups", filter=Q(signups__status=SignUpStatus.WAITLISTED)),
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def public_program_list() -> QuerySet[Program]:
    """What the portal lists: programs taking sign-ups, with their sessions and seats taken."""
    return program_list(visible=Q(), status=ProgramStatus.OPEN).prefetch_related("sessions")


def public_program_get(*, program_id: int) -> Program | None:
    return (
        program_list(visible=Q(status__in=[ProgramStatus.OPEN, ProgramStatus.CLOSED]))
        .prefetch_related("sessions")
        .filter(pk=program_id)
        .first()
    )


def program_detail(*, program: Program) -> dict:
    """Sessions (with who was ticked present), the roster, the waitlist in order, and the history."""
    signups = list(SignUp.objects.filter(program=program).order_by("queue", "pk"))
    sessions = list(
        Session.objects.filter(program=program).prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.only("session_id", "signup_id"))
        )
    )
    for session in sessions:
        session.present_ids = {a.signup_id for a in session.attendance.all()}  # type: ignore[attr-defined]
    waitlist = [s for s in signups if s.status == SignUpStatus.WAITLISTED]
    for position, signup in enumerate(waitlist, start=1):
        signup.position = position  # type: ignore[attr-defined]
    return {
        "sessions": sessions,
        "confirmed": [s for s in signups if s.status == SignUpStatus.CONFIRMED],
        "waitlist": waitlist,
        "cancelled": [s for s in signups if s.status == SignUpStatus.CANCELLED],
        "events": list(
            ProgramsEvent.objects.filter(program_id_ref=program.pk)
            .select_related("actor")
            .order_by("-at", "-pk")[:50]
        ),
    }


def waitlist_position(signup: SignUp) -> int | None:
    if signup.status != SignUpStatus.WAITLISTED:
        return None
    return (
        SignUp.objects.filter(
            program_id=signup.program_id, status=SignUpStatus.WAITLISTED, queue__lt=signup.queue
        ).count()
        + 1
    )


def signup_verify(*, code: str, phone_last4: str) -> SignUp:
    """A resident coming back: the code and the last four phone digits must both match.

    Wrong digits are counted per code and lock it for an hour after ten (like the tracking code of a demand),
    so guessing is bounded per code, not only per address.
    """
    code = (code or "").strip().upper()[:12]
    digits = (phone_last4 or "").strip()
    signup = SignUp.objects.select_related("program", "program__community").filter(code=code).first()
    if signup is None:
        raise SignUpMismatch()
    locked = ratelimit.locked_for("signup_code", code)
    if locked:
        raise SignUpLocked(details={"retry_after": locked})
    if len(digits) != 4 or not digits.isdigit() or not signup.phone.endswith(digits):
        locked = ratelimit.strike(
            "signup_code", code, limit=GUESS_LIMIT, window=GUESS_WINDOW, lock_seconds=LOCK_SECONDS
        )
        if locked:
            raise SignUpLocked(details={"retry_after": locked})
        raise SignUpMismatch()
    return signup


def program_figures(*, community_ids: list[int] | None, first, last) -> dict:
    """For the empowerment dashboard: programs with a session in [first, last] in these communities (None: all),
    their confirmed sign-ups, and attendance (person-sessions, and distinct people present)."""
    programs = Program.objects.filter(sessions__date__gte=first, sessions__date__lte=last)
    attendance = Attendance.objects.filter(session__date__gte=first, session__date__lte=last)
    if community_ids is not None:
        programs = programs.filter(community_id__in=community_ids)
        attendance = attendance.filter(session__program__community_id__in=community_ids)
    program_ids = set(programs.values_list("pk", flat=True))
    return {
        "programs": len(program_ids),
        "signed_up": SignUp.objects.filter(program_id__in=program_ids, status=SignUpStatus.CONFIRMED).count(),
        "attendances": attendance.count(),
        "people_present": attendance.values("signup_id").distinct().count(),
    }


def program_figures_by_community(*, community_ids: list[int] | None, first, last) -> dict[int, dict]:
    """``program_figures`` per community in three grouped queries (the empowerment dashboard's rows)."""
    programs = Program.objects.filter(sessions__date__gte=first, sessions__date__lte=last)
    attendance = Attendance.objects.filter(session__date__gte=first, session__date__lte=last)
    if community_ids is not None:
        programs = programs.filter(community_id__in=community_ids)
        attendance = attendance.filter(session__program__community_id__in=community_ids)
    rows: dict[int, dict] = {}

    def row(cid: int) -> dict:
        return rows.setdefault(cid, {"programs": 0, "signed_up": 0, "attendances": 0})

    ids = programs.values("pk").distinct()
    for cid, n in programs.values_list("community_id").annotate(n=Count("pk", distinct=True)):
        row(cid)["programs"] = n
    confirmed = SignUp.objects.filter(program_id__in=ids, status=SignUpStatus.CONFIRMED)
    for cid, n in confirmed.values_list("program__community_id").annotate(n=Count("pk")):
        row(cid)["signed_up"] = n
    for cid, n in attendance.values_list("session__program__community_id").annotate(n=Count("pk")):
        row(cid)["attendances"] = n
    return rows
