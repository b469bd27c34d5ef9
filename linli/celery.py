"""Celery for production (REDIS_URL): workers run background work, beat runs the periodic jobs.

celery -A linli worker -l info
celery -A linli beat -l info
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

app = Celery("linli")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="linli.run_job")
def run_job(path: str):
    from linli.core.scheduler import run_job as run

    result = run(path)
    return result if isinstance(result, dict | int | None) else str(result)


@app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    from django.conf import settings

    for path, every in settings.LINLI_PERIODIC_JOBS:
        sender.add_periodic_task(float(every), run_job.s(path), name=path)
