import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from linli.core.errors import ApplicationError
from linli.demands.services.imports import bad_rows_csv, demands_import
from linli.org.selectors import staff_list

SHOWN_BAD_ROWS = 200


class Command(BaseCommand):
    help = (
        "从 CSV 或 XLSX 批量导入诉求（列名见 docs/import-format.md）；错误行按行号报告，正确的行照常导入。"
        " 退出码：0 全部成功，1 有错误行，2 文件无法导入 / Import demands from CSV or XLSX"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV（UTF-8 或 GBK）或 XLSX 文件")
        parser.add_argument("--report", metavar="FILE.csv", help="把错误行写入此 CSV，修改后可再次导入")
        parser.add_argument("--user", metavar="USERNAME", help="记为受理人的工作人员账号（可选）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")

    def handle(self, *args, file, report, user, dry_run, **options):
        actor = None
        if user:
            actor = staff_list().filter(username=user).first()
            if actor is None:
                self._fail(f"找不到工作人员账号：{user} / No such staff account")
        try:
            result = demands_import(source_path=file, actor=actor, dry_run=dry_run)
        except ApplicationError as exc:
            self._fail(f"[{exc.code}] {exc.message_zh} / {exc.message_en}")

        prefix = "（试运行，未保存）" if dry_run else ""
        self.stdout.write(
            f"{prefix}共 {result.rows} 行：导入 {len(result.imported)} 条，"
            f"跳过重复 {len(result.duplicates)} 条，错误 {len(result.bad_rows)} 行"
        )
        if result.ignored_columns:
            self.stdout.write(f"未识别的列（已忽略）：{'、'.join(result.ignored_columns)}")
        for row, ref in result.duplicates[:SHOWN_BAD_ROWS]:
            self.stdout.write(f"第 {row} 行：受理编号 {ref} 已导入过，跳过")
        for bad in result.bad_rows[:SHOWN_BAD_ROWS]:
            self.stdout.write(f"第 {bad.row} 行 [{bad.code}] {bad.reason}")
        if len(result.bad_rows) > SHOWN_BAD_ROWS:
            self.stdout.write(
                f"……另有 {len(result.bad_rows) - SHOWN_BAD_ROWS} 行错误，请用 --report 导出全部错误行"
            )
        if report:
            Path(report).write_bytes(bad_rows_csv(result))
            self.stdout.write(f"错误行已写入 {report}")
        if result.bad_rows:
            sys.exit(1)

    def _fail(self, message: str):
        self.stderr.write(message)
        sys.exit(2)
