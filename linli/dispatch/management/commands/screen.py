"""linli screen --csv FILE: one JSON line per row, junk or not, and why."""

from django.core.management.base import BaseCommand, CommandError

from linli.dispatch.csvinput import read_rows
from linli.dispatch.management.commands._jsonl import line
from linli.dispatch.selectors import junk_screen


class Command(BaseCommand):
    help = "筛查 CSV 中的广告、灌水、辱骂 / Screen a CSV for advertising, spam and abuse"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True)

    def handle(self, *args, **opts):
        try:
            rows = list(read_rows(opts["csv"]))
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        for row in rows:
            result = junk_screen(text=row.body, title=row.title)
            self.stdout.write(line({"id": row.id, "junk": result.junk, "reason": result.reason}))
