from django.conf import settings
from django.db import models


class CalendarDay(models.Model):
    """An admin-edited exception to the working-day calendar.

    Official holidays and make-up working days come from the
    ``chinesecalendar`` package for the years it knows. A row here overrides it
    for that date, and for years the package does not know these rows plus
    Monday–Friday are the whole calendar.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "是否工作日", default=False, help_text="勾选表示调休上班；不勾选表示放假"
    )
    name = models.CharField("名称", max_length=60, blank=True)

    class Meta:
        verbose_name = "节假日/调休"
        verbose_name_plural = "节假日/调休表"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'} {self.name}"


class IdempotencyRecord(models.Model):
    """The stored answer to a request sent with an ``Idempotency-Key`` header.

    Replaying the same key with the same body returns the same answer; the
    same key with another body is refused.
    """

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class Attachment(models.Model):
    """A file that belongs to something in another app, e.g. a resident's photo of a demand.

    Core knows nothing of the apps that use it, so the owner is named by
    ``subject_type`` (``"demand"``, later ``"visit"``, ``"assignment_request"``)
    and ``subject_id``; the owning app decides who may see it. The stored name
    is random, with the extension of the type the content was sniffed as, so
    neither the resident's file name nor the browser's claim reaches the disk.
    Files are private: they are served only through a view that checks access.
    """

    subject_type = models.CharField("所属对象类型", max_length=40)
    subject_id = models.BigIntegerField("所属对象编号")
    file = models.FileField("文件", upload_to="attachments/%Y/%m/", max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField("上传时间")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="attachment_subject")]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_size_positive")
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id} {self.original_name or self.file.name}"


class JobProblem(models.Model):
    """Something a background job could not process and skipped, so it does not stop on it forever.

    One row per job and item (e.g. the rollup and a registration day of 0001-01-01), counted each time
    the job meets it again; an administrator reads them in the back office and repairs the data.
    """

    job = models.CharField("任务", max_length=60)
    item = models.CharField("数据项", max_length=200)
    code = models.CharField("问题代码", max_length=80)
    message = models.TextField("说明")
    first_seen = models.DateTimeField("首次发现")
    last_seen = models.DateTimeField("最近发现")
    occurrences = models.PositiveIntegerField("次数", default=1)

    class Meta:
        verbose_name = "任务问题"
        verbose_name_plural = "任务问题"
        ordering = ["-last_seen"]
        constraints = [models.UniqueConstraint(fields=["job", "item"], name="core_jobproblem_one_per_item")]

    def __str__(self) -> str:
        return f"{self.job}: {self.item} ({self.code})"
