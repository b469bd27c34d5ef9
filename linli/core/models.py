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
