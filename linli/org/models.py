from django.contrib.auth.models import AbstractUser
from django.db import models

from linli.core import clock
from linli.org.states import (  # noqa: F401  (re-exported for migrations and admin)
    GRASSROOTS_UNIT_KINDS,
    LEVEL_DEPTH,
    UNIT_ROLES,
    JurisdictionLevel,
    Role,
    UnitKind,
)


class Jurisdiction(models.Model):
    """A node of the administrative tree: city → district/county → street/township → community/village.

    ``path`` holds the codes from the root down (``/3509/350902/…/``) so a
    subtree is one indexed prefix query.
    """

    code = models.CharField("行政区划代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=80)
    level = models.CharField("层级", max_length=12, choices=JurisdictionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    population = models.PositiveIntegerField("常住人口", default=0)
    # GeoJSON geometry (Polygon or MultiPolygon, WGS-84 lng/lat) uploaded by the admin: the map draws it and a
    # picked location finds its community in it.
    boundary = models.JSONField("边界", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_grassroots(self) -> bool:
        return self.level in (JurisdictionLevel.COMMUNITY, JurisdictionLevel.VILLAGE)


class Unit(models.Model):
    """An organisation that handles demands: a department, a street office, a community committee, a company or a school.

    It sits at the level of the jurisdiction it serves: the city's 城管局 serves
    the city, a street office serves its street, a committee its community.
    """

    code = models.CharField("单位编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=24, choices=UnitKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="服务区域", on_delete=models.PROTECT, related_name="units"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_UNIT_KINDS


class User(AbstractUser):
    """A staff account. Unit roles are scoped to ``unit``; the others to ``jurisdiction`` (empty means the whole city)."""

    display_name = models.CharField("姓名", max_length=40, blank=True)
    role = models.CharField("角色", max_length=24, choices=Role.choices, default=Role.HOTLINE_AGENT)
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name="管辖范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        constraints = [
            models.CheckConstraint(
                name="user_unit_role_has_unit",
                condition=~models.Q(role__in=[r.value for r in UNIT_ROLES]) | models.Q(unit__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class Resident(models.Model):
    """A person who raised a demand. The phone number is stored once, here; everything else refers to this row."""

    name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("电话", max_length=20, unique=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "群众"
        verbose_name_plural = "群众"

    def __str__(self) -> str:
        return self.name or "群众"


class ApiToken(models.Model):
    """A bearer token for an integration (a hotline system, an Open311 client). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class CommunityGroup(models.Model):
    """A joint committee of neighbouring communities (片区联合党委), e.g. 金榕 + 金溪.

    Communities in one group share volunteers, programs and workshop orders, and the empowerment pages add up
    across the group. A community belongs to at most one group.
    """

    name = models.CharField("名称", max_length=80, unique=True)
    kind = models.CharField("类型", max_length=40, default="片区联合党委")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "片区联合党委"
        verbose_name_plural = "片区联合党委"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityGroupMember(models.Model):
    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="members")
    community = models.OneToOneField(
        Jurisdiction, verbose_name="社区", on_delete=models.PROTECT, related_name="group_membership"
    )

    class Meta:
        verbose_name = "成员社区"
        verbose_name_plural = "成员社区"

    def __str__(self) -> str:
        return f"{self.group} · {self.community}"
