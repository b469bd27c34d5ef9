"""The campaign report: numbers from selectors, the same for the page, the API and the XLSX file.

Shares are of the issues raised on the campaign's visits (linked and new):
"resolved at village/community level" counts demands closed as resolved by a
street office or a community/village committee (``resolved_by_grassroots``);
"resolved at the first visit" counts those settled on the spot
(``resolved_at_intake``). Open issues are grouped by their lead unit.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _

from linli.core.xlsx import xlsx_bytes, xlsx_row
from linli.demands.selectors import demand_facts
from linli.demands.states import OPEN_STATUSES
from linli.visits.models import Campaign, Visit, VisitIssue
from linli.visits.selectors import area_communities
from linli.visits.states import CadreLevel


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def campaign_report(*, campaign: Campaign) -> dict:
    communities = area_communities(area=campaign.area)
    visits = Visit.objects.filter(round__campaign=campaign)
    rounds = list(
        campaign.rounds.annotate(
            visit_count=Count("visits", distinct=True),
            communities_visited=Count("visits__community", distinct=True),
            issue_count=Count("visits__issues", distinct=True),
        ).order_by("number")
    )
    pairs = set(
        Visit.team.through.objects.filter(visit__round__campaign=campaign).values_list(
            "cadre_id", "cadre__level"
        )
    )
    levels = Counter(level for _cadre, level in pairs)
    issue_demands = list(
        VisitIssue.objects.filter(visit__round__campaign=campaign).values_list("demand_id", flat=True)
    )
    facts = demand_facts(ids=issue_demands)
    grassroots = sum(1 for f in facts.values() if f["resolved"] and f["resolved_by_grassroots"])
    first_visit = sum(1 for f in facts.values() if f["resolved_at_intake"])
    open_by_unit = Counter(
        f["lead_unit__name"] or _("未派单") for f in facts.values() if f["status"] in OPEN_STATUSES
    )
    covered = set(visits.values_list("community_id", flat=True))
    n = len(facts)
    return {
        "rounds_total": len(rounds),
        "rounds_held": sum(1 for r in rounds if r.visit_count),
        "cadres_by_level": [
            {"level": label, "key": key, "count": levels.get(key, 0)} for key, label in CadreLevel.choices
        ],
        "cadres_total": sum(levels.values()),
        "communities_covered": len(covered),
        "communities_total": len(communities),
        "uncovered": [c.name for c in communities if c.pk not in covered],
        "visits": visits.count(),
        "issues": n,
        "resolved_grassroots": grassroots,
        "resolved_grassroots_share": _share(grassroots, n),
        "resolved_first_visit": first_visit,
        "resolved_first_visit_share": _share(first_visit, n),
        "resolved_grassroots_pct": _pct(_share(grassroots, n)),
        "resolved_first_visit_pct": _pct(_share(first_visit, n)),
        "open_issues": sum(open_by_unit.values()),
        "open_by_unit": [
            {"unit": u, "count": k} for u, k in sorted(open_by_unit.items(), key=lambda x: (-x[1], x[0]))
        ],
        "rounds": [
            {
                "number": r.number,
                "date": r.date.isoformat(),
                "visits": r.visit_count,
                "communities": r.communities_visited,
                "issues": r.issue_count,
            }
            for r in rounds
        ],
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def campaign_report_xlsx(*, campaign: Campaign, report: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("概况")
    rows = [
        (_("夜访活动"), campaign.name),
        (_("范围"), campaign.area.name),
        (_("期间"), f"{campaign.starts_on:%Y-%m-%d} — {campaign.ends_on:%Y-%m-%d}"),
        (_("已开展轮次"), f"{report['rounds_held']} / {report['rounds_total']}"),
        (_("参与干部"), report["cadres_total"]),
        *[
            (_("参与干部（%(level)s）") % {"level": row["level"]}, row["count"])
            for row in report["cadres_by_level"]
        ],
        (_("覆盖村(社区)"), f"{report['communities_covered']} / {report['communities_total']}"),
        (_("走访次数"), report["visits"]),
        (_("收集问题"), report["issues"]),
        (_("村(社区)层面解决"), report["resolved_grassroots"]),
        (_("村(社区)层面解决率"), report["resolved_grassroots_pct"]),
        (_("首次走访即解决"), report["resolved_first_visit"]),
        (_("首访解决率"), report["resolved_first_visit_pct"]),
        (_("未办结问题"), report["open_issues"]),
    ]
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    rounds = book.create_sheet(_("各轮次"))
    rounds.append([_("轮次"), _("日期"), _("走访次数"), _("覆盖村(社区)"), _("收集问题")])
    for r in report["rounds"]:
        rounds.append([r["number"], r["date"], r["visits"], r["communities"], r["issues"]])
    units = book.create_sheet(_("未办结问题"))
    units.append([_("主办单位"), _("未办结问题")])
    for r in report["open_by_unit"]:
        units.append(xlsx_row(units, [r["unit"], r["count"]]))
    return xlsx_bytes(book)
