from django.db import models


class JobRun(models.Model):
    """The ledger of periodic job runs: one row per job and time slot, so a slot runs once.

    The slot is the job's period counted from the epoch (``sent // every``), taken from the time the task
    was sent. Two beats, a message delivered twice or two servers' schedulers all meet the unique
    constraint; a run whose process died (``kill -9``) is taken over by the redelivered message
    (``linli.ops.jobs``).
    """

    class Status(models.TextChoices):
        RUNNING = "running", "运行中"
        DONE = "done", "完成"
        FAILED = "failed", "失败"

    job = models.CharField("任务", max_length=120)
    slot = models.BigIntegerField("时段")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    host = models.CharField("主机", max_length=120)
    pid = models.IntegerField("进程号")
    attempts = models.PositiveSmallIntegerField("尝试次数", default=1)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    result = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="ops_jobrun_one_per_slot")]
        indexes = [models.Index(fields=["job", "-started_at"], name="ops_jobrun_job_started")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot} {self.status}"
