"""linli dispatch-holdout --cutoff YYYY-MM-DD: train on demands before the day, score the suggestions after it."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from linli.dispatch.evaluation import holdout_check
from linli.dispatch.management.commands._jsonl import line


class Command(BaseCommand):
    help = (
        "用截止日前登记的诉求训练、对之后登记的诉求评分（不启用该模型）"
        " / Train on demands before a cut-off day, score those after it (the model is not published)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cutoff", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD（本地日期）"
        )

    def handle(self, *args, cutoff, **opts):
        moment = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
        self.stdout.write(line(holdout_check(cutoff=moment)))
