"""Every read of the visits app that a page, the API or the report uses."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet

from linli.core import clock
from linli.org.selectors import jurisdiction_list
from linli.visits.models import (
    ActionItem,
    Cadre,
    Campaign,
    Designation,
    Meeting,
    PlanAssignment,
    Round,
    Visit,
    VisitIssue,
    VisitsEvent,
)
from linli.visits.states import ActionStatus


def today() -> dt.date:
    return clock.today()


def area_communities(*, area) -> list:
    """The villages and communities inside an area (the area itself if it is one), by code."""
    return list(
        jurisdiction_list()
        .filter(path__startswith=area.path, level__in=["community", "village"])
        .order_by("code")
    )


def campaign_list(*, user) -> list[Campaign]:
    from linli.visits.permissions import campaign_visible

    qs = Campaign.objects.select_related("area").annotate(round_count=Count("rounds"))
    return [c for c in qs if campaign_visible(user, c)]


def round_list(*, campaign: Campaign) -> QuerySet[Round]:
    return campaign.rounds.annotate(
        visit_count=Count("visits", distinct=True), assigned=Count("assignments", distinct=True)
    ).order_by("number")


def cadre_list(*, active_only: bool = False, user=None) -> QuerySet[Cadre]:
    """The cadre pool; with ``user``, only the cadres that planner sees (``permissions.cadre_visibility_q``)."""
    qs = Cadre.objects.all()
    if user is not None:
        from linli.visits.permissions import cadre_visibility_q

        q = cadre_visibility_q(user)
        qs = qs if q is None else qs.filter(q)
    qs = (
        qs.select_related("unit", "home_area")
        .annotate(rounds=Count("assignments", distinct=True))
        .order_by("level", "name", "pk")
    )
    return qs.filter(is_active=True) if active_only else qs


def round_plan_table(*, round_: Round) -> list[dict]:
    """One row per community of the area: its team (locked flags) and whether a visit was recorded."""
    communities = area_communities(area=round_.campaign.area)
    teams = defaultdict(list)
    for a in PlanAssignment.objects.filter(round=round_).select_related("cadre", "cadre__unit"):
        teams[a.community_id].append(a)
    visited = set(Visit.objects.filter(round=round_).values_list("community_id", flat=True))
    gaps = {g["community_id"]: g["reason"] for g in round_.plan_gaps}
    return [
        {
            "community": c,
            "team": sorted(teams[c.pk], key=lambda a: (a.cadre.level, a.cadre.name)),
            "gap": gaps.get(c.pk, ""),
            "visited": c.pk in visited,
        }
        for c in communities
    ]


def visit_list(*, round_: Round | None = None, user=None) -> QuerySet[Visit]:
    qs = (
        Visit.objects.select_related("community", "round", "recorded_by")
        .prefetch_related("team")
        .annotate(issue_count=Count("issues", distinct=True))
    )
    if round_ is not None:
        qs = qs.filter(round=round_)
    return qs


def visit_detail(*, visit_id: int) -> Visit | None:
    return (
        Visit.objects.select_related("community", "round", "round__campaign", "recorded_by")
        .prefetch_related("team", Prefetch("issues", queryset=VisitIssue.objects.select_related("demand")))
        .filter(pk=visit_id)
        .first()
    )


def events_of(*, subject_type: str, subject_id: int) -> QuerySet[VisitsEvent]:
    return VisitsEvent.objects.filter(subject_type=subject_type, subject_id=subject_id).select_related(
        "actor"
    )


def meeting_list(*, user) -> QuerySet[Meeting]:
    """The meetings this user may read (their area's, and those their unit took part in)."""
    from linli.visits.permissions import meeting_visibility_q

    qs = (
        Meeting.objects.select_related("community", "convened_by")
        .annotate(
            item_count=Count("action_items", distinct=True),
            open_items=Count("action_items", filter=Q(action_items__status=ActionStatus.OPEN), distinct=True),
        )
        .order_by("-held_at", "-pk")
    )
    q = meeting_visibility_q(user)
    return qs if q is None else qs.filter(pk__in=Meeting.objects.filter(q).values("pk"))


def community_meetings(*, community_id: int, start, end, limit: int = 50) -> list[Meeting]:
    """Meetings held for one community in [start, end) (aware datetimes), newest first: a posting's record.

    The caller has decided the viewer may read the record (an instructor their own posting): the meetings
    of the community they were posted to are part of it, whoever convened them.
    """
    return list(
        Meeting.objects.filter(community_id=community_id, held_at__gte=start, held_at__lt=end)
        .select_related("community", "convened_by")
        .annotate(item_count=Count("action_items", distinct=True))
        .order_by("-held_at", "-pk")[:limit]
    )


def meeting_detail(*, meeting: Meeting) -> dict:
    items = list(
        meeting.action_items.select_related("owner_unit")
        .prefetch_related("demands")
        .order_by("deadline", "pk")
    )
    return {
        "meeting": meeting,
        "units": list(meeting.units.all()),
        "items": items,
        "referrals": list(meeting.referrals.select_related("demand", "referred_by")),
        "designations": list(meeting.designations.select_related("community", "by_unit")),
        "today": today(),
    }


def action_item_list(*, user, status: str = "") -> QuerySet[ActionItem]:
    """Action items for 协调会事项: a planner's are those of the meetings of their area, anyone else's
    those their unit owns; open ones first by deadline."""
    from linli.visits.permissions import can_plan, meeting_visibility_q

    qs = ActionItem.objects.select_related("meeting", "owner_unit").prefetch_related("demands")
    if can_plan(user):
        q = meeting_visibility_q(user)
        if q is not None:
            qs = qs.filter(
                Q(meeting__in=Meeting.objects.filter(q).values("pk")) | Q(owner_unit_id=user.unit_id)
            )
    else:
        qs = qs.filter(owner_unit_id=user.unit_id) if user.unit_id else qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "deadline", "pk")


def designation_list(*, user=None) -> QuerySet[Designation]:
    """Designations; with ``user``, only those of the reader's area (``permissions.designation_visibility_q``)."""
    qs = Designation.objects.select_related("community", "by_unit", "meeting")
    if user is not None:
        from linli.visits.permissions import designation_visibility_q

        q = designation_visibility_q(user)
        qs = qs if q is None else qs.filter(q)
    return qs


def open_meetings(*, user) -> QuerySet[Meeting]:
    """The latest meetings this user may read, to pick one from (refer a demand, link a designation)."""
    from linli.visits.permissions import meeting_visibility_q

    qs = Meeting.objects.select_related("community").order_by("-held_at")
    q = meeting_visibility_q(user)
    return (qs if q is None else qs.filter(pk__in=Meeting.objects.filter(q).values("pk")))[:50]


def recordable_rounds(*, user) -> list[Round]:
    """Rounds whose evening is today or in the past two weeks that this user may log a visit for, for the
    phone's start page."""
    from linli.visits.permissions import round_visible

    start = today() - dt.timedelta(days=14)
    rows = list(
        Round.objects.select_related("campaign", "campaign__area")
        .filter(date__gte=start, date__lte=today() + dt.timedelta(days=1))
        .order_by("-date")
    )
    return [row for row in rows if round_visible(user, row, for_visit=True)]


def cadre_for_user(*, user) -> Cadre | None:
    return Cadre.objects.filter(user_id=user.pk, is_active=True).first()
