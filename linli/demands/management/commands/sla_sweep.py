from django.core.management.base import BaseCommand

from linli.demands.services import sla_sweep


class Command(BaseCommand):
    help = "标记超期诉求并自动督办（重复运行不会重复督办）/ Mark overdue work and escalate it once"

    def handle(self, *args, **options):
        counts = sla_sweep()
        self.stdout.write(
            f"签收超时 {counts['sign_overdue']}，办理超期 {counts['finish_overdue']}，回访超期 {counts['callback_overdue']}"
        )
