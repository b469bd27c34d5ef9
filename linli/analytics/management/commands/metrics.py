import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from linli.analytics.selectors import metrics_compute
from linli.core.daterange import in_range
from linli.core.errors import ApplicationError
from linli.org.selectors import jurisdiction_get, unit_get


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD: {value}") from exc
    if not in_range(day):
        raise CommandError(f"日期超出 1990-01-01 至今后一年的范围: {value}")
    return day


class Command(BaseCommand):
    help = "按区域或单位输出统计期内的指标（JSON）/ Print the metrics of an area or unit for a period as JSON"

    def add_arguments(self, parser):
        parser.add_argument(
            "--area", metavar="CODE", help="行政区划代码 / jurisdiction code (default: the whole city)"
        )
        parser.add_argument("--unit", metavar="CODE", help="单位编码 / unit code")
        parser.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")

    def handle(self, *args, area=None, unit=None, date_from, date_to, **options):
        try:
            result = metrics_compute(
                area_id=jurisdiction_get(code=area).pk if area else None,
                unit_id=unit_get(code=unit).pk if unit else None,
                date_from=_date(date_from),
                date_to=_date(date_to),
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message_zh} {exc.details or ''}".strip()) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
