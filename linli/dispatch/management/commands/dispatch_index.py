"""linli dispatch-index: (re)build the duplicate/hotspot index from the demands, or close finished rows."""

from django.core.management.base import BaseCommand

from linli.dispatch.management.commands._jsonl import line
from linli.dispatch.services import signature_rebuild, signature_sync


class Command(BaseCommand):
    help = "重建或同步诉求指纹索引 / Rebuild or sync the demand index"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="全部重建 / Index every demand again")

    def handle(self, *args, **opts):
        self.stdout.write(line(signature_rebuild() if opts["rebuild"] else signature_sync()))
