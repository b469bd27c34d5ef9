from django.core.management.base import BaseCommand, CommandError

from linli.core.errors import ApplicationError
from linli.ops.backup import restore


class Command(BaseCommand):
    help = "从备份归档恢复到空数据库并核对 / Restore a backup archive into an empty database, then verify it"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份归档 / the archive written by `linli backup`")

    def handle(self, *args, path, **options):
        try:
            done = restore(path)
        except ApplicationError as exc:
            raise CommandError(
                f"{exc.code}: {exc.message_zh} / {exc.message_en} {exc.details or ''}"
            ) from exc
        self.stdout.write(
            f"已恢复并核对 / restored and verified: {done['tables']} tables, {done['rows']} rows, "
            f"{done['files']} files"
        )
