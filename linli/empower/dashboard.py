"""The empowerment dashboard (赋能): per community and per joint committee, for a period and the one before it —
volunteers on the register, volunteers who served, hours served, patrol shifts held and fully staffed,
postings of instructors and first secretaries active. A handful of grouped queries, whatever the size.

Programs (activities held, confirmed sign-ups, attendances) and the workshop (income and earners) come from
those apps' grouped selectors; money stays in fen until shown in yuan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook

from linli.core.xlsx import xlsx_bytes, xlsx_row
from linli.empower.models import Assignment, Posting, Shift, Volunteer
from linli.empower.permissions import community_q, scope_community_ids
from linli.empower.states import AssignmentStatus
from linli.org.selectors import community_group_list, jurisdiction_list
from linli.programs.selectors import program_figures_by_community
from linli.workshop.selectors import income_by_community

FIELDS = (
    "volunteers",
    "active",
    "hours",
    "shifts",
    "shifts_full",
    "postings",
    "programs",
    "signed_up",
    "attendances",
    "income",
    "earners",
    "per_earner",
)


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def _period(user, date_from: dt.date, date_to: dt.date) -> dict[int, dict]:
    rows: dict[int, dict] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    scope = community_q(user)
    if scope is None:
        return {}
    for cid, n in (
        Volunteer.objects.filter(scope, is_active=True, consent_on__lte=date_to)
        .values_list("community")
        .annotate(n=Count("pk"))
    ):
        rows[cid]["volunteers"] = n
    served = (
        Assignment.objects.filter(
            community_q(user, "volunteer__community"),
            status=AssignmentStatus.CHECKED_OUT,
            shift__date__gte=date_from,
            shift__date__lte=date_to,
        )
        .values_list("volunteer__community")
        .annotate(n=Count("volunteer", distinct=True), m=Sum("minutes"))
    )
    for cid, n, m in served:
        rows[cid]["active"] = n
        rows[cid]["hours"] = round((m or 0) / 60, 1)
    shifts = (
        Shift.objects.filter(
            community_q(user, "term__team__community"), date__gte=date_from, date__lte=date_to
        )
        .values_list("term__team__community")
        .annotate(n=Count("pk"), full=Count("pk", filter=Q(gaps=[])))
    )
    for cid, n, full in shifts:
        rows[cid]["shifts"] = n
        rows[cid]["shifts_full"] = full
    postings = (
        Posting.objects.filter(scope, starts_on__lte=date_to)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=date_from))
        .values_list("community")
        .annotate(n=Count("pk"))
    )
    for cid, n in postings:
        rows[cid]["postings"] = n
    ids = scope_community_ids(user)
    for cid, figures in program_figures_by_community(
        community_ids=ids, first=date_from, last=date_to
    ).items():
        rows[cid].update(figures)
    for cid, money in income_by_community(community_ids=ids, first=date_from, last=date_to).items():
        rows[cid]["income"] = _yuan(money["income_fen"])
        rows[cid]["earners"] = money["participants"]
        rows[cid]["per_earner"] = (
            _yuan(money["income_fen"] // money["participants"]) if money["participants"] else 0
        )
    return rows


def dashboard(*, user, date_from: dt.date, date_to: dt.date) -> dict:
    days = (date_to - date_from).days + 1
    prev_to = date_from - dt.timedelta(days=1)
    prev_from = prev_to - dt.timedelta(days=days - 1)
    now, before = _period(user, date_from, date_to), _period(user, prev_from, prev_to)
    ids = sorted(set(now) | set(before))
    names = dict(jurisdiction_list().filter(pk__in=ids).values_list("pk", "name"))
    empty = dict.fromkeys(FIELDS, 0)
    communities = [
        {"name": names.get(i, "?"), "now": now.get(i, empty), "before": before.get(i, empty)}
        for i in sorted(ids, key=lambda i: names.get(i, ""))
    ]
    groups = []
    for g in community_group_list():
        members = [m.community_id for m in g.members.all() if m.community_id in ids]
        if len(members) < 1:
            continue
        total = {
            k: {f: round(sum(src.get(i, empty)[f] for i in members), 2) for f in FIELDS}
            for k, src in (("now", now), ("before", before))
        }
        for figures in total.values():  # an average of the group, not a sum of averages
            figures["per_earner"] = (
                round(figures["income"] / figures["earners"], 2) if figures["earners"] else 0
            )
        groups.append({"name": g.name, **total})
    return {
        "from": date_from,
        "to": date_to,
        "prev_from": prev_from,
        "prev_to": prev_to,
        "communities": communities,
        "groups": groups,
    }


def dashboard_xlsx(data: dict) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("赋能"))
    sheet.append(
        xlsx_row(
            sheet,
            [
                _("赋能"),
                f"{data['from']} – {data['to']}",
                _("上期"),
                f"{data['prev_from']} – {data['prev_to']}",
            ],
        )
    )
    head = [
        _("社区/片区"),
        _("志愿者"),
        _("服务过的志愿者"),
        _("服务时长（小时）"),
        _("护学班次"),
        _("排满的班次"),
        _("在岗派驻"),
        _("公益活动"),
        _("报名人数"),
        _("参加人次"),
        _("工坊收入（元）"),
        _("有收入的居民"),
        _("人均收入（元）"),
    ]
    sheet.append(xlsx_row(sheet, head + [f"{h}（{_('上期')}）" for h in head[1:]]))
    for row in data["groups"] + data["communities"]:
        sheet.append(
            xlsx_row(
                sheet, [row["name"], *[row["now"][f] for f in FIELDS], *[row["before"][f] for f in FIELDS]]
            )
        )
    return xlsx_bytes(book)
