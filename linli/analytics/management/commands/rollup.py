from django.core.management.base import BaseCommand

from linli.analytics.services import analytics_rollup_refresh


class Command(BaseCommand):
    help = "刷新统计汇总表（可重复运行）/ Bring the analytics rollup tables up to date (idempotent)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true", help="全量重建 / rebuild every day, not only the changed ones"
        )

    def handle(self, *args, full=False, **options):
        result = analytics_rollup_refresh(full=full)
        self.stdout.write(
            f"事件 {result['events']}，重算天数 {result['days']}，进度 #{result['last_event_id']}"
        )
