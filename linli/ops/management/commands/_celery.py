"""What ``linli worker`` and ``linli beat`` share: Redis is required, the rest of the line goes to Celery."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class CeleryCommand(BaseCommand):
    role = ""  # "worker" or "beat"
    defaults: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("celery_args", nargs="*", help="其余参数交给 Celery / further Celery options")

    def run_from_argv(self, argv):
        # Pass every option after the command name to Celery untouched (e.g. --concurrency 2 -l info).
        self._argv = argv[2:]
        return super().run_from_argv(argv[:2])

    def handle(self, *args, celery_args=(), **options):
        if not settings.REDIS_URL:
            raise CommandError(
                "未配置 REDIS_URL：没有 Redis 时由 `linli serve` 内置的定时任务运行 / "
                "REDIS_URL is not set: without Redis the embedded scheduler of `linli serve` runs the jobs"
            )
        from linli.celery import app

        extra = list(getattr(self, "_argv", None) or celery_args)
        app.start([self.role, *self.defaults, *extra])
