import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from linli.core.daterange import in_range
from linli.core.errors import ApplicationError
from linli.demands.exports import csv_chunks, export_xlsx
from linli.demands.selectors import DemandFilters, demand_list
from linli.demands.states import Channel, DemandStatus, DemandType
from linli.dispatch.selectors import category_get
from linli.org.selectors import community_get, jurisdiction_get, staff_list


def _date(value: str) -> dt.date:
    day = dt.date.fromisoformat(value)
    if not in_range(day):
        raise ValueError(f"{value}: outside 1990-01-01 … today + 1 year")
    return day


def _choices(values: list[str], choices, option: str) -> list[str]:
    """Codes or Chinese labels, repeated or comma-separated: --status dispatched,办理中."""
    by_label = {c.label: c.value for c in choices}
    result = []
    for value in (v.strip() for raw in values for v in raw.split(",")):
        if not value:
            continue
        code = by_label.get(value, value)
        if code not in choices.values:
            raise ValueError(f"{option} 不认识“{value}”，可选：{', '.join(choices.values)}")
        result.append(code)
    return result


class Command(BaseCommand):
    help = "把筛选后的诉求列表导出为 CSV 或 XLSX；可见范围和电话是否脱敏由 --user 决定 / Export a filtered demand list"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], help="默认按 --output 的扩展名")
        parser.add_argument("--output", "-o", required=True, metavar="FILE")
        parser.add_argument("--user", required=True, metavar="USERNAME", help="以此工作人员的权限导出")
        parser.add_argument(
            "--status", action="append", default=[], help="状态代码或名称，可重复或用逗号分隔"
        )
        parser.add_argument("--channel", action="append", default=[], help="渠道代码或名称")
        parser.add_argument(
            "--type", action="append", default=[], dest="demand_type", help="诉求类型代码或名称"
        )
        parser.add_argument("--community", metavar="CODE", help="社区/村的行政区划代码")
        parser.add_argument("--area", metavar="CODE", help="区/街道的行政区划代码（含下级）")
        parser.add_argument("--category", metavar="CODE", help="分类编码（含下级分类）")
        parser.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD", help="受理日期起")
        parser.add_argument(
            "--to", dest="date_to", type=_date, metavar="YYYY-MM-DD", help="受理日期止（含当天）"
        )
        parser.add_argument("--overdue", action="store_true", help="只导出超期的")
        parser.add_argument("--q", default="", help="关键词")

    def handle(self, *args, **o):
        output = Path(o["output"])
        fmt = o["format"] or ("xlsx" if output.suffix.lower() == ".xlsx" else "csv")
        user = staff_list().filter(username=o["user"]).first()
        if user is None:
            self._fail(f"找不到工作人员账号：{o['user']} / No such staff account")
        try:
            filters = DemandFilters(
                status=_choices(o["status"], DemandStatus, "--status"),
                channel=_choices(o["channel"], Channel, "--channel"),
                demand_type=_choices(o["demand_type"], DemandType, "--type"),
                community_id=community_get(code=o["community"]).pk if o["community"] else None,
                area_path=jurisdiction_get(code=o["area"]).path if o["area"] else None,
                category_id=category_get(code=o["category"]).pk if o["category"] else None,
                date_from=o["date_from"],
                date_to=o["date_to"],
                overdue=True if o["overdue"] else None,
                q=o["q"],
            )
        except ValueError as exc:
            self._fail(str(exc))
        except ApplicationError as exc:
            self._fail(f"[{exc.code}] {exc.message_zh}：{exc.details}")
        demands = demand_list(user=user, filters=filters)
        count = demands.count()
        with output.open("wb") as fh:
            if fmt == "xlsx":
                fh.write(export_xlsx(demands, user=user))
            else:
                for chunk in csv_chunks(demands, user=user):
                    fh.write(chunk)
        self.stdout.write(f"已导出 {count} 条诉求到 {output}")

    def _fail(self, message: str):
        self.stderr.write(message)
        sys.exit(2)
