import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

DEFAULT_OUTPUT = Path(settings.BASE_DIR).parent / "openapi.json"


def render_schema(api) -> str:
    """The committed form: sorted keys, two-space indent, Chinese kept readable, final newline."""
    return json.dumps(api.get_openapi_schema(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "生成 openapi.json / Write the API contract openapi.json (--check: fail when it is out of date)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只检查，不写入；不一致时退出码非零 / exit non-zero on drift"
        )
        parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="输出文件 / output file")
        parser.add_argument(
            "--api", default="linli.api.api", help="NinjaAPI 实例的路径 / dotted path of the NinjaAPI"
        )

    def handle(self, *args, check, output, api, **options):
        text = render_schema(import_string(api))
        path = Path(output)
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(
                    f"{path} 与代码不一致，请运行 `linli openapi` / is out of date; run `linli openapi`"
                )
            self.stdout.write(f"{path} 已是最新 / is up to date")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"已写入 / wrote {path}")
