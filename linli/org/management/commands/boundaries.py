"""linli boundaries import FILE.geojson: the community (and street, district) boundaries the maps draw.

Each feature of the FeatureCollection names its jurisdiction by ``properties.code``; all or nothing, with every
problem listed by feature index.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.core.errors import ApplicationError
from linli.org.services import MAX_BOUNDARY_BYTES, boundaries_import


class Command(BaseCommand):
    help = "导入行政区划边界（GeoJSON） / Import jurisdiction boundaries (GeoJSON)"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("import", help="导入 GeoJSON 文件 / Import a GeoJSON file").add_argument("file")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 / No such file: {path}")
        try:
            result = boundaries_import(data=path.read_bytes()[: MAX_BOUNDARY_BYTES + 1])
        except ApplicationError as exc:
            for problem in exc.details.get("problems", []):
                self.stderr.write(
                    f"要素 {problem['feature']} / feature {problem['feature']} {problem['code']}: {problem['error']}"
                )
            raise CommandError(f"{exc.message_zh} / {exc.message_en} ({exc.code})") from exc
        self.stdout.write(f"已更新 {result['updated']} 个边界 / {result['updated']} boundaries updated")
