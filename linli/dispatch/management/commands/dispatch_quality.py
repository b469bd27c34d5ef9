"""linli dispatch-quality --month YYYY-MM: how often the suggestion matched, and how often orders came back."""

import re

from django.core.management.base import BaseCommand, CommandError

from linli.core import clock
from linli.dispatch.management.commands._jsonl import line
from linli.dispatch.selectors import dispatch_quality


class Command(BaseCommand):
    help = "月度派单质量 / Monthly dispatch quality"

    def add_arguments(self, parser):
        parser.add_argument("--month", default=None, help="YYYY-MM，默认本月 / default: this month")

    def handle(self, *args, **opts):
        month = opts["month"] or clock.today().strftime("%Y-%m")
        match = re.fullmatch(r"(\d{4})-(\d{2})", month)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise CommandError("--month 应为 YYYY-MM / --month must be YYYY-MM")
        self.stdout.write(line(dispatch_quality(year=int(match.group(1)), month=int(match.group(2)))))
