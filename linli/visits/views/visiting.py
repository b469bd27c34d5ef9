"""The visit log on a phone: one form per visit, issues added as rows, a hidden token against double submits."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linli.core.errors import ApplicationError, AttachmentNotFound, PermissionDenied
from linli.core.files import attachment_response
from linli.core.selectors import attachment_list
from linli.demands.states import DemandType
from linli.ui.middleware import error_message
from linli.ui.pages import staff_page
from linli.visits import selectors as sel
from linli.visits import services as s
from linli.visits.errors import VisitNotFound
from linli.visits.permissions import access_round, can_record, community_recordable
from linli.visits.states import Subject
from linli.visits.views._common import ids_of, int_of, moment, visible_demand_ids, visit_visible

ISSUE_ROWS = 3
ISSUE_TYPES = [(v, label) for v, label in DemandType.choices if v != DemandType.PRAISE]


def _issues(post) -> list[s.IssueInput]:
    out = []
    for i in range(int_of(post.get("issue_rows"), "issue_rows") or ISSUE_ROWS):
        body = (post.get(f"issue-{i}-text") or "").strip()
        if body:
            out.append(
                s.IssueInput(
                    text=body,
                    demand_type=post.get(f"issue-{i}-type") or "help",
                    solved_on_spot=post.get(f"issue-{i}-solved") == "on",
                    answer=post.get(f"issue-{i}-answer", ""),
                )
            )
    return out


@staff_page()
def visit_new(request, pk: int):
    if not can_record(request.user):
        raise PermissionDenied()
    row = access_round(request.user, pk, for_visit=True)
    communities = [
        c for c in sel.area_communities(area=row.campaign.area) if community_recordable(request.user, c)
    ]
    planned = {r["community"].pk: r["team"] for r in sel.round_plan_table(round_=row)}
    mine = sel.cadre_for_user(user=request.user)
    error, values = "", request.POST if request.method == "POST" else {}
    if request.method == "POST":
        p = request.POST
        try:
            visit, created = s.visit_record(
                actor=request.user,
                round_id=row.pk,
                community_id=int_of(p.get("community"), "community"),
                client_token=p.get("client_token", ""),
                arrived_at=moment(row.date, p.get("arrived_at"), "arrived_at"),
                left_at=moment(row.date, p.get("left_at"), "left_at") if p.get("left_at") else None,
                team_ids=ids_of(p.getlist("team"), "team"),
                residents_met=p.get("residents_met"),
                riders_met=p.get("riders_met"),
                property_staff_met=p.get("property_staff_met"),
                met_notes=p.get("met_notes", ""),
                issues=_issues(p),
                photos=request.FILES.getlist("photos"),
            )
        except ApplicationError as exc:
            error = error_message(exc)
        else:
            messages.success(request, _("走访记录已保存") if created else _("该记录已保存过，未重复提交"))
            return redirect("visits:visit", visit.pk)
    # The planned team is ticked: the team of the signed-in cadre, or of the only community the user records for.
    default_team = next(
        (
            {a.cadre_id for a in team}
            for team in planned.values()
            if mine and any(a.cadre_id == mine.pk for a in team)
        ),
        set(),
    )
    if not default_team and len(communities) == 1:  # a community worker records for the one community
        default_team = {a.cadre_id for a in planned.get(communities[0].pk, [])}
    return render(
        request,
        "visits/visit_form.html",
        {
            "round": row,
            "communities": communities,
            "planned": planned,
            "cadres": sel.cadre_list(active_only=True).order_by("level", "name"),
            "default_team": default_team,
            "token": values.get("client_token") or uuid.uuid4(),
            "values": values,
            "error": error,
            "issue_types": ISSUE_TYPES,
            "issue_range": range(ISSUE_ROWS),
            "issue_rows": ISSUE_ROWS,
        },
        status=422 if error else 200,
    )


def _visible_visit(request, pk: int):
    visit = sel.visit_detail(visit_id=pk)
    user = request.user
    if visit is None or not visit_visible(user, visit):
        raise VisitNotFound()
    return visit


@staff_page()
def visit_page(request, pk: int):
    visit = _visible_visit(request, pk)
    return render(
        request,
        "visits/visit.html",
        {
            "visit": visit,
            "issues": (issues := list(visit.issues.all())),
            "visible_demands": visible_demand_ids(request.user, [i.demand_id for i in issues]),
            "photos": list(attachment_list(subject_type="visit", subject_id=visit.pk)),
            "events": sel.events_of(subject_type=Subject.VISIT, subject_id=visit.pk),
        },
    )


@staff_page()
def visit_photo(request, pk: int, photo_id: int):
    """A photo of the visit, for whoever may see the visit; 404 alike for no such photo and no access."""
    visit = _visible_visit(request, pk)
    row = attachment_list(subject_type="visit", subject_id=visit.pk).filter(pk=photo_id).first()
    if row is None:
        raise AttachmentNotFound()
    return attachment_response(row, download=request.GET.get("download") == "1")
