from django.core.management.base import BaseCommand, CommandError

from linli.core.errors import ApplicationError
from linli.ops.backup import backup


class Command(BaseCommand):
    help = "备份数据库与附件到一个归档文件 / Back up the database and the uploaded files into one archive"

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="归档路径（默认 数据目录/backups/linli-时间.tar）/ archive path"
        )

    def handle(self, *args, path=None, **options):
        try:
            done = backup(path)
        except ApplicationError as exc:
            raise CommandError(
                f"{exc.code}: {exc.message_zh} / {exc.message_en} {exc.details or ''}"
            ) from exc
        rows = sum(done["counts"].values())
        self.stdout.write(
            f"已备份 / backed up: {done['path']} ({done['bytes']} bytes; {done['vendor']}, "
            f"{len(done['counts'])} tables, {rows} rows, {len(done['files'])} files)"
        )
