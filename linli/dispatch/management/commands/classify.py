"""linli classify --csv FILE [--model PATH]: one JSON line per row with the predicted category."""

from django.core.management.base import BaseCommand, CommandError

from linli.dispatch.csvinput import read_rows
from linli.dispatch.management.commands._jsonl import line
from linli.dispatch.modelstore import ModelFileError, model_from


class Command(BaseCommand):
    help = "分类 CSV（id,title,body,created_at）中的诉求，逐行输出 JSON / Classify a CSV, JSON lines out"
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True)
        parser.add_argument("--model", default=None, help="模型文件；默认用当前模型 / A model file")
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, **opts):
        try:
            _, model = model_from(opts["model"])
            rows = list(read_rows(opts["csv"]))
        except (ModelFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for start in range(0, len(rows), opts["batch"]):
            chunk = rows[start : start + opts["batch"]]
            for row, p in zip(chunk, model.predict([(r.title, r.body) for r in chunk]), strict=True):
                self.stdout.write(
                    line(
                        {
                            "id": row.id,
                            "level1": p.level1,
                            "path": p.path,
                            "confidence": p.confidence,
                            "top3": [[label, prob] for label, prob in p.top3],
                            "abstained": p.abstained,
                        }
                    )
                )
