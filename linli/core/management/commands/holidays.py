"""linli holidays import FILE | linli holidays list [--year YEAR]: the official holidays of years the package lacks.

``import`` loads a CSV or XLSX file (日期, 类型 放假/上班, 名称) into the holiday
table, all or nothing; bad rows are listed by row number. ``list`` prints the
table and, for this year and the next two, where their schedule comes from.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.core import calendar, clock
from linli.core.errors import ApplicationError
from linli.core.selectors import holiday_list
from linli.core.services import holidays_import

MAX_BYTES = 2 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "节假日/调休表：导入官方安排（import FILE）或列出（list） / The holiday table: import FILE, or list"
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入 CSV/XLSX（日期、类型、名称） / Import a CSV/XLSX file")
        imp.add_argument("file")
        lst = sub.add_parser("list", help="列出节假日表 / List the table")
        lst.add_argument("--year", type=int, default=None)

    def handle(self, *args, **opts):
        if opts["action"] == "import":
            self._import(Path(opts["file"]))
        else:
            self._list(opts["year"])

    def _import(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"找不到文件 / No such file: {path}")
        data = path.read_bytes()[: MAX_BYTES + 1]
        if len(data) > MAX_BYTES:
            raise CommandError("文件过大 / The file is too large")
        try:
            result = holidays_import(data=data)
        except ApplicationError as exc:
            for row in exc.details.get("rows", []):
                self.stderr.write(
                    f"第 {row['row']} 行 / row {row['row']}: {row['message']} ({row['message_en']})"
                )
            raise CommandError(f"{exc.message_zh} / {exc.message_en} ({exc.code})") from exc
        years = "、".join(str(y) for y in result["years"])
        self.stdout.write(
            f"已导入 {years} 年：新增 {result['created']}，更新 {result['updated']}，未变 {result['unchanged']}"
            f" / imported {years}: {result['created']} new, {result['updated']} updated,"
            f" {result['unchanged']} unchanged"
        )

    def _list(self, year: int | None) -> None:
        for row in holiday_list(year=year):
            kind = "上班 workday" if row.is_workday else "放假 holiday"
            self.stdout.write(f"{row.date.isoformat()}  {kind}  {row.name}")
        this_year = clock.today().year
        for y in [year] if year else range(this_year, this_year + 3):
            if calendar.package_knows(y):
                source = "官方安排：chinesecalendar / official (package)"
            elif calendar.year_confirmed(y):
                source = "官方安排：节假日表 / official (holiday table)"
            else:
                source = "未确认：仅按周末计算 / unconfirmed: weekends only"
            self.stdout.write(f"{y}: {source}")
