from django.db import models


class Category(models.Model):
    """A node of the three-level demand category tree (e.g. 城乡建设 › 市政管理 › 占道经营)."""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField("级别")
    full_name = models.CharField("完整路径", max_length=200, editable=False)
    top = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = "诉求分类"
        verbose_name_plural = "诉求分类"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="category_level_1_to_3", condition=models.Q(level__gte=1, level__lte=3)
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class DispatchRule(models.Model):
    """One line of the dispatch catalogue (派单目录): demands of this category, in this area, go to this unit.

    An empty jurisdiction means the whole city. The most specific line wins:
    the deepest category first, then the smallest area.
    """

    category = models.ForeignKey(
        Category, verbose_name="分类", on_delete=models.CASCADE, related_name="rules"
    )
    jurisdiction = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name="适用区域",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey("org.Unit", verbose_name="承办单位", on_delete=models.CASCADE, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "派单目录"
        verbose_name_plural = "派单目录"
        constraints = [
            models.UniqueConstraint(fields=["category", "jurisdiction"], name="dispatch_rule_unique_area"),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(jurisdiction__isnull=True),
                name="dispatch_rule_unique_citywide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"
