"""linli train-dispatch: train the classifier from the starter corpus, finished demands and corrections."""

from django.core.management.base import BaseCommand

from linli.dispatch.management.commands._jsonl import line
from linli.dispatch.services import dispatch_model_train


class Command(BaseCommand):
    help = "训练派单分类模型并启用新版本 / Train the dispatch model and make it current"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-corpus", action="store_true", help="不用内置语料 / Without the starter corpus"
        )

    def handle(self, *args, **opts):
        self.stdout.write(line(dispatch_model_train(use_corpus=not opts["no_corpus"])))
