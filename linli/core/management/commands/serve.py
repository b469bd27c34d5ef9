from django.conf import settings
from django.core.management.base import BaseCommand

from linli.core.scheduler import Scheduler


class Command(BaseCommand):
    help = "启动内置服务器（含定时任务）/ Serve Linli with the embedded scheduler (waitress)"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-scheduler", action="store_true", help="不运行定时任务 / do not run periodic jobs"
        )

    def handle(self, *args, host, port, threads, no_scheduler, **options):
        from waitress import serve

        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # before whitenoise looks at it
        from linli.wsgi import application

        if settings.LINLI_EMBEDDED_SCHEDULER and not no_scheduler:
            Scheduler().start()
            self.stdout.write(
                "定时任务已启动 / scheduler started: " + ", ".join(p for p, _ in settings.LINLI_PERIODIC_JOBS)
            )
        self.stdout.write(f"邻里 Linli: http://{host}:{port}/  (Ctrl+C 停止 / to stop)")
        serve(application, host=host, port=port, threads=threads, ident="linli", connection_limit=200)
