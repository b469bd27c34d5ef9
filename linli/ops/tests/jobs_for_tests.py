"""A periodic job slow enough to kill its worker in the middle (the kill -9 test), and idempotent:
its effect is a file whose content is the same however often it runs to the end."""

import os
import time
from pathlib import Path

from django.conf import settings


def slow_job():
    data = Path(settings.DATA_DIR)
    with open(data / "slow-job.log", "a") as log:
        log.write(f"start {os.getpid()}\n")
    time.sleep(float(os.environ.get("LINLI_TEST_SLOW_JOB_SECONDS", "3")))
    (data / "slow-job.result").write_text("swept")  # the same state after one run or two
    with open(data / "slow-job.log", "a") as log:
        log.write(f"done {os.getpid()}\n")
    return "swept"
