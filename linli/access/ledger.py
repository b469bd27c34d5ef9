"""The burden ledger (减负台账): what the communities carry, per community and period, and for an area.

The area is the reader's jurisdiction (``permissions.ledger_area``): a district's coordination office or
leader sees its own communities and its own totals; city-level readers see the whole city.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_noop  # the labels are translated where they are shown

from linli.access.errors import BadPeriod
from linli.access.models import CadreCount, Certificate, CertificateIssue, Plaque, Task
from linli.access.selectors import catalogue_current, catalogue_diff, catalogue_first
from linli.access.states import RequestKind, RequestStatus, TaskStatus
from linli.analytics.selectors import metrics_compute
from linli.core.xlsx import xlsx_bytes, xlsx_row
from linli.org.selectors import jurisdiction_list, staff_list
from linli.org.states import Role

COLUMNS = [
    ("name", gettext_noop("社区/村")),
    ("population", gettext_noop("常住人口")),
    ("cadres", gettext_noop("社区工作者")),
    ("residents_per_cadre", gettext_noop("人均服务居民")),
    ("admitted", gettext_noop("准入任务")),
    ("refused", gettext_noop("拒绝/拦截任务")),
    ("pending", gettext_noop("待审批任务")),
    ("inspections", gettext_noop("检查考核")),
    ("plaques", gettext_noop("现有牌子")),
    ("plaques_removed", gettext_noop("摘除牌子")),
    ("certificates", gettext_noop("开具证明")),
    ("demands", gettext_noop("办理诉求")),
]
TOTAL_KEYS = [k for k, _ in COLUMNS if k not in ("name", "residents_per_cadre", "population", "cadres")]


def _bounds(date_from: dt.date, date_to: dt.date):
    if date_from > date_to:
        raise BadPeriod(details={"from": date_from.isoformat(), "to": date_to.isoformat()})
    return date_from, date_to


def _cadres(communities, date_to: dt.date) -> dict[int, int]:
    recorded: dict[int, int] = {}
    for row in CadreCount.objects.filter(as_of__lte=date_to).order_by("community_id", "-as_of"):
        recorded.setdefault(row.community_id, row.count)
    missing = [c.pk for c in communities if c.pk not in recorded]
    if missing:
        counted = (
            staff_list()
            .filter(role=Role.COMMUNITY_WORKER, unit__jurisdiction_id__in=missing, is_active=True)
            .values("unit__jurisdiction_id")
            .annotate(n=Count("pk"))
        )
        recorded.update({r["unit__jurisdiction_id"]: r["n"] for r in counted})
    return recorded


def ledger_compute(*, date_from: dt.date, date_to: dt.date, area=None) -> dict:
    """One row per community or village of ``area`` (a jurisdiction; None: the whole city) for the period,
    and the area's totals (the sum of its rows; the catalogue and certificate figures are the city's)."""
    date_from, date_to = _bounds(date_from, date_to)
    inside = Q(community__path__startswith=area.path) if area is not None else Q()
    communities = jurisdiction_list().filter(level__in=["community", "village"]).order_by("code")
    if area is not None:
        communities = communities.filter(path__startswith=area.path)
    communities = list(communities)
    in_period = Q(created_at__date__gte=date_from, created_at__date__lte=date_to)
    tasks = (
        Task.objects.filter(in_period, inside)
        .values("community_id")
        .annotate(
            admitted=Count(
                "pk",
                filter=Q(status__in=[TaskStatus.ADMITTED, TaskStatus.REPORTED])
                & ~Q(request__kind=RequestKind.INSPECTION),
            ),
            refused=Count(
                "pk",
                filter=Q(status=TaskStatus.REFUSED)
                | Q(request__status__in=[RequestStatus.REFUSED, RequestStatus.REJECTED]),
            ),
            pending=Count("pk", filter=Q(status=TaskStatus.AWAITING)),
            inspections=Sum(
                "request__inspections_planned",
                filter=Q(
                    status__in=[TaskStatus.ADMITTED, TaskStatus.REPORTED],
                    request__kind=RequestKind.INSPECTION,
                ),
            ),
        )
    )
    by_task = {r["community_id"]: r for r in tasks}
    plaques = (
        Plaque.objects.filter(inside)
        .values("community_id")
        .annotate(
            current=Count(
                "pk",
                filter=Q(hung_at__lte=date_to) & (Q(removed_at__isnull=True) | Q(removed_at__gt=date_to)),
            ),
            removed=Count("pk", filter=Q(removed_at__gte=date_from, removed_at__lte=date_to)),
        )
    )
    by_plaque = {r["community_id"]: r for r in plaques}
    certs = dict(
        CertificateIssue.objects.filter(inside, issued_at__date__gte=date_from, issued_at__date__lte=date_to)
        .values("community_id")
        .annotate(n=Sum("count"))
        .values_list("community_id", "n")
    )
    metrics = metrics_compute(
        area_id=area.pk if area is not None else None, date_from=date_from, date_to=date_to
    )
    demands = {r.get("id"): r.get("count", 0) for r in metrics["counts"]["by_community"]}
    cadres = _cadres(communities, date_to)
    rows = []
    for c in communities:
        t, p, n = by_task.get(c.pk, {}), by_plaque.get(c.pk, {}), cadres.get(c.pk, 0)
        rows.append(
            {
                "id": c.pk,
                "code": c.code,
                "name": c.name,
                "level": c.level,
                "population": c.population,
                "cadres": n,
                "residents_per_cadre": round(c.population / n) if n else None,
                "admitted": t.get("admitted", 0),
                "refused": t.get("refused", 0),
                "pending": t.get("pending", 0),
                "inspections": t.get("inspections") or 0,
                "plaques": p.get("current", 0),
                "plaques_removed": p.get("removed", 0),
                "certificates": certs.get(c.pk, 0) or 0,
                "demands": demands.get(c.pk, 0),
            }
        )
    totals = {k: sum(r[k] for r in rows) for k in TOTAL_KEYS}
    # Items cut by the versions that came into force during the period.
    # Without a version in force before the period, compare from the first one that came into force in it.
    old = catalogue_current(on=date_from - dt.timedelta(days=1)) or catalogue_first(
        since=date_from, until=date_to
    )
    new = catalogue_current(on=date_to)
    diff = catalogue_diff(old=old, new=new) if old and new and old.pk != new.pk else None
    totals["items_cut"] = len(diff["removed"]) if diff else 0
    totals["items_in_force"] = new.items.count() if new else 0
    totals["certificates_cancelled"] = Certificate.objects.filter(
        cancelled_on__gte=date_from, cancelled_on__lte=date_to
    ).count()
    return {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "area": {"id": area.pk, "name": area.name} if area is not None else None,
        "rows": rows,
        "totals": totals,
    }


def ledger_compare(*, before: tuple[dt.date, dt.date], after: tuple[dt.date, dt.date], area=None) -> dict:
    """The area's (else the city's) totals in two periods side by side, with the change."""
    a = ledger_compute(date_from=before[0], date_to=before[1], area=area)
    b = ledger_compute(date_from=after[0], date_to=after[1], area=area)
    labels = dict(COLUMNS) | {
        "items_cut": gettext_noop("清单削减事项"),
        "items_in_force": gettext_noop("清单事项数"),
        "certificates_cancelled": gettext_noop("取消证明事项"),
    }
    lines = [
        {
            "key": k,
            "label": labels[k],
            "before": a["totals"][k],
            "after": b["totals"][k],
            "change": b["totals"][k] - a["totals"][k],
        }
        for k in a["totals"]
    ]
    return {"before": a, "after": b, "lines": lines}


def ledger_xlsx(*, ledger: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "减负台账"
    sheet.append([f"统计期间 {ledger['from']} 至 {ledger['to']}"])
    sheet.append([label for _, label in COLUMNS])
    for r in ledger["rows"]:
        sheet.append(xlsx_row(sheet, [r[k] for k, _ in COLUMNS]))
    sheet.append(["合计", "", "", "", *[ledger["totals"][k] for k in TOTAL_KEYS]])
    return xlsx_bytes(book)
