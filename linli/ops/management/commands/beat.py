from django.conf import settings

from linli.ops.management.commands._celery import CeleryCommand


class Command(CeleryCommand):
    help = "启动定时任务调度（Celery beat，需 REDIS_URL）/ Run Celery beat, which sends the periodic jobs (needs REDIS_URL)"
    role = "beat"

    @property
    def defaults(
        self,
    ) -> list[str]:  # beat keeps its schedule state with the data, not in the working directory
        return ["--loglevel", "INFO", "--schedule", str(settings.DATA_DIR / "celerybeat-schedule")]
