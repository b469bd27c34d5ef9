from linli.ops.management.commands._celery import CeleryCommand


class Command(CeleryCommand):
    help = "启动后台任务进程（Celery worker，需 REDIS_URL）/ Run a Celery worker (needs REDIS_URL)"
    role = "worker"
    defaults = ["--loglevel", "INFO"]
