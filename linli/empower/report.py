"""What a posting did and what the patrol changed, read from the other apps' selectors; the hours certificate.

A posting's record counts the coordination meetings held in its community during the posting (those the
posting's community, through ``visits.selectors.community_meetings``), the programs held there, the demands of the community registered in the
period and how many are closed (``analytics.selectors.metrics_compute``, rollup rows), and whatever the
apps registered in ``POSTING_ACTIVITY`` add (the programs app adds the programs started: see
``posting_activity_register``).

The patrol's hot issue: the demands of the team's community whose text, title or address mentions one of the
team's keywords (e.g. 校门, 接送, 学校), per week, for the weeks before and after the patrol began.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from linli.analytics.selectors import metrics_compute
from linli.core import clock
from linli.core.xlsx import xlsx_bytes, xlsx_row
from linli.demands.selectors import DemandFilters, demand_list
from linli.empower.models import Posting, Team, Volunteer
from linli.empower.selectors import hours_ledger, level_for
from linli.org.permissions import is_staff_member
from linli.programs.selectors import program_figures
from linli.visits.selectors import community_meetings

# name -> fn(posting, date_from, date_to) -> list of {"label": str, "count": int, "items": [str]}
POSTING_ACTIVITY: dict[str, Callable[[Posting, dt.date, dt.date], list[dict]]] = {}


def posting_activity_register(name: str, fn: Callable[[Posting, dt.date, dt.date], list[dict]]) -> None:
    """A higher app (programs) adds rows to a posting's record from its ``AppConfig.ready``."""
    POSTING_ACTIVITY[name] = fn


def posting_period(posting: Posting) -> tuple[dt.date, dt.date]:
    today = clock.today()
    end = min(posting.ends_on or today, today)
    return posting.starts_on, max(end, posting.starts_on)


def posting_record(*, user, posting: Posting) -> dict:
    start, end = posting_period(posting)
    meetings = community_meetings(
        community_id=posting.community_id, start=clock.day_start(start), end=clock.day_end(end)
    )
    metrics = metrics_compute(area_id=posting.community_id, date_from=start, date_to=end)
    counts = metrics["counts"]
    closed = counts["by_status"].get("closed", 0)
    held = program_figures(community_ids=[posting.community_id], first=start, last=end)
    extra = [
        {"label": _("公益活动"), "count": held["programs"]},
        {"label": _("活动报名人数"), "count": held["signed_up"]},
        {"label": _("活动参加人次"), "count": held["attendances"]},
    ]
    for fn in POSTING_ACTIVITY.values():
        extra += fn(posting, start, end)
    return {
        "from": start,
        "to": end,
        "meetings": meetings,
        "demands_total": counts["total"],
        "demands_closed": closed,
        "extra": extra,
    }


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def patrol_weeks(*, user, team: Team, weeks: int = 8) -> dict:
    """Demands about the team's place per week, ``weeks`` before and after the patrol began."""
    began = team.patrol_began_on
    keywords = team.keyword_list()
    if not is_staff_member(user):  # instructors read no demands: the weeks would all be 0
        return {"rows": [], "before": 0, "after": 0, "keywords": keywords, "began": began, "hidden": True}
    if began is None or not keywords:
        return {"rows": [], "before": 0, "after": 0, "keywords": keywords, "began": began}
    first = _monday(began) - dt.timedelta(weeks=weeks)
    last = min(_monday(began) + dt.timedelta(weeks=weeks) - dt.timedelta(days=1), clock.today())
    seen: dict[int, dt.date] = {}
    for word in keywords:
        f = DemandFilters(community_id=team.community_id, date_from=first, date_to=last, q=word.strip())
        for pk, at in demand_list(user=user, filters=f).values_list("pk", "registered_at"):
            seen[pk] = clock.local_date(at)
    per_week: dict[dt.date, int] = {}
    monday = first
    while monday <= last:
        per_week[monday] = 0
        monday += dt.timedelta(weeks=1)
    for day in seen.values():
        per_week[_monday(day)] = per_week.get(_monday(day), 0) + 1
    rows = [{"week": w, "count": n, "after": w >= _monday(began)} for w, n in sorted(per_week.items())]
    before = [r["count"] for r in rows if not r["after"]]
    after = [r["count"] for r in rows if r["after"]]
    return {
        "rows": rows,
        "before": round(sum(before) / len(before), 1) if before else 0,
        "after": round(sum(after) / len(after), 1) if after else 0,
        "keywords": keywords,
        "began": began,
        "max": max((r["count"] for r in rows), default=0),
    }


def hours_certificate(*, volunteer: Volunteer) -> bytes:
    """The volunteer's hours certificate: who, the level reached and every shift served."""
    rows = hours_ledger(volunteer=volunteer)
    minutes = sum(a.minutes for a in rows)
    level = level_for(minutes)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("志愿服务时长证明")[:31])  # Excel refuses longer sheet titles
    sheet.append(xlsx_row(sheet, [_("志愿服务时长证明")]))
    sheet.append(xlsx_row(sheet, [_("姓名"), volunteer.name]))
    sheet.append(xlsx_row(sheet, [_("社区"), volunteer.community.name]))
    sheet.append(xlsx_row(sheet, [_("累计服务时长（小时）"), level["hours"]]))
    sheet.append(xlsx_row(sheet, [_("荣誉等级"), level["level"] or "—"]))
    sheet.append(xlsx_row(sheet, [_("开具日期"), clock.today().isoformat()]))
    sheet.append([])
    sheet.append(xlsx_row(sheet, [_("日期"), _("队伍"), _("岗点"), _("时段"), _("时长（分钟）")]))
    for a in rows:
        t = a.shift.template
        sheet.append(
            xlsx_row(
                sheet,
                [
                    a.shift.date.isoformat(),
                    a.shift.term.team.name,
                    t.gate,
                    f"{t.start:%H:%M}–{t.end:%H:%M}",
                    a.minutes,
                ],
            )
        )
    return xlsx_bytes(book)
