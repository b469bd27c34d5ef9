from django.db import models

from linli.core.events import EventBase


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


class DemandSignature(models.Model):
    """The dispatch app's own copy of what it needs to know about a demand to find its duplicates and hotspots.

    One row per demand, written by ``signature_record`` when the demands app
    registers, re-categorises or closes it; duplicate search and hotspots read
    only this table (never the demand table). ``minhash`` is 64 16-bit MinHash
    values of the normalised text's character bigrams, so a Jaccard estimate
    is a vector comparison. ``topic`` is the classifier's top-level label at
    registration, used to narrow searches in neighbouring communities.
    """

    demand_id = models.BigIntegerField(unique=True)
    code = models.CharField(max_length=20)
    community_id = models.BigIntegerField(null=True, blank=True)
    street_id = models.BigIntegerField(null=True, blank=True)
    registered_at = models.DateTimeField()
    is_open = models.BooleanField(default=True)
    text_hash = models.CharField(max_length=40)
    minhash = models.BinaryField()
    excerpt = models.CharField(max_length=120)
    topic = models.CharField(max_length=40, blank=True)
    category_id = models.BigIntegerField(null=True, blank=True)
    complainant_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "诉求指纹"
        verbose_name_plural = "诉求指纹"
        indexes = [
            models.Index(
                fields=["community_id", "registered_at"],
                condition=models.Q(is_open=True),
                name="signature_open_community",
            ),
            models.Index(
                fields=["street_id", "topic", "registered_at"],
                condition=models.Q(is_open=True),
                name="signature_open_street_topic",
            ),
            models.Index(fields=["text_hash"], name="signature_text_hash"),
            models.Index(fields=["registered_at"], name="signature_registered"),
        ]

    def __str__(self) -> str:
        return self.code


class DispatchDecision(EventBase):
    """What the model suggested when a dispatcher dispatched a demand, and what the dispatcher chose.

    ``corrected`` rows (the model named a category and the dispatcher chose
    another) are the dispatchers' corrections: the next training reads them
    with extra weight. The monthly dispatch-quality report counts these rows.
    Append-only in the ORM (its app has no database trigger yet). No person acts (``actor = None``);
    ``at`` keeps its index and the table its unordered default, as before the shared base.
    """

    actor = None

    demand_id = models.BigIntegerField(db_index=True)
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=16)  # dispatch | redispatch
    model_version = models.CharField(max_length=40, blank=True)
    suggested_path = models.CharField(max_length=200, blank=True)
    suggested_category_id = models.BigIntegerField(null=True, blank=True)
    suggested_unit_id = models.BigIntegerField(null=True, blank=True)
    confidence = models.FloatField(default=0.0)
    abstained = models.BooleanField(default=True)
    final_category_id = models.BigIntegerField(null=True, blank=True)
    final_path = models.CharField(max_length=200, blank=True)
    final_unit_id = models.BigIntegerField(null=True, blank=True)
    category_matched = models.BooleanField(null=True)
    unit_matched = models.BooleanField(null=True)
    corrected = models.BooleanField(default=False)

    class Meta:
        verbose_name = "派单建议记录"
        verbose_name_plural = "派单建议记录"

    def __str__(self) -> str:
        return f"{self.demand_id} {self.suggested_path} → {self.final_path}"


class CategoryCrosswalk(models.Model):
    """One line of the crosswalk from a reference taxonomy to this installation's category tree.

    The starter corpus (and any benchmark data) is labelled in a reference
    taxonomy (``城乡建设/物业管理`` …); training reads a reference label only
    through this table: the longest reference path with a line names the
    local category, and labels without one are left out. Local categories
    no line points to are learned from the installation's own history.
    """

    reference_path = models.CharField("参考分类", max_length=200, unique=True)
    category = models.ForeignKey(
        Category, verbose_name="本地分类", on_delete=models.CASCADE, related_name="crosswalk"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "分类对照"
        verbose_name_plural = "分类对照"
        ordering = ["reference_path"]

    def __str__(self) -> str:
        return f"{self.reference_path} → {self.category}"
