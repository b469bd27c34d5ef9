"""linli crosswalk import FILE [--replace] | linli crosswalk list: the reference taxonomy -> this tree."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.core.errors import ApplicationError
from linli.dispatch.management.commands._jsonl import line
from linli.dispatch.selectors import crosswalk_table
from linli.dispatch.services import crosswalk_import


class Command(BaseCommand):
    help = (
        "分类对照：把内置语料的参考分类对应到本地分类树（CSV/XLSX：reference_path,category[,note]）"
        " / Category crosswalk from the starter corpus's reference taxonomy to this tree"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="导入对照表 / Load a crosswalk file")
        load.add_argument("file")
        load.add_argument(
            "--replace", action="store_true", help="删除文件中没有的对照 / Drop lines the file does not name"
        )
        sub.add_parser("list", help="列出对照 / List the crosswalk")

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            for reference, local in sorted(crosswalk_table().items()):
                self.stdout.write(line({"reference_path": reference, "category": local}))
            return
        path = Path(opts["file"])
        try:
            result = crosswalk_import(name=path.name, content=path.read_bytes(), replace=opts["replace"])
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message_zh} / {exc.message_en} {exc.details}") from exc
        self.stdout.write(line(result))
