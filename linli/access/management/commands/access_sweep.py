from django.core.management.base import BaseCommand

from linli.access.services import approval_sweep


class Command(BaseCommand):
    help = "升级超过15个工作日未审批的准入申请 / Escalate access requests past their approval limit"

    def handle(self, *args, **options):
        self.stdout.write(f"escalated: {approval_sweep()}")
