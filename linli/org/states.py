"""Choices of the organisation app: jurisdiction levels, unit kinds, staff roles."""

from django.db import models


class JurisdictionLevel(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区/县"
    STREET = "street", "街道/乡镇"
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "村"


LEVEL_DEPTH = {"city": 0, "district": 1, "street": 2, "community": 3, "village": 3}


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", "职能部门"
    STREET_OFFICE = "street_office", "街道办/乡镇政府"
    COMMUNITY_COMMITTEE = "community_committee", "社区居委会"
    VILLAGE_COMMITTEE = "village_committee", "村委会"
    COMPANY = "company", "公共企业"
    SCHOOL = "school", "学校"
    HOTLINE = "hotline", "热线中心"
    COORDINATION = "coordination", "协调机制办公室"


# Units whose resolution counts as "resolved at village/community level" (化解在村(社区)).
GRASSROOTS_UNIT_KINDS = (UnitKind.STREET_OFFICE, UnitKind.COMMUNITY_COMMITTEE, UnitKind.VILLAGE_COMMITTEE)


class Role(models.TextChoices):
    HOTLINE_AGENT = "hotline_agent", "话务员"
    DISPATCHER = "dispatcher", "派单员"
    UNIT_HANDLER = "unit_handler", "承办人"
    UNIT_SUPERVISOR = "unit_supervisor", "单位负责人"
    COMMUNITY_WORKER = "community_worker", "社区干部"
    COORDINATION_OFFICE = "coordination_office", "协调机制办公室"
    LEADER = "leader", "领导"
    ADMIN = "admin", "系统管理员"
    INSTRUCTOR = "instructor", "党建指导员/第一书记"
    VOLUNTEER = "volunteer", "志愿者"
    PARTNER_FIRM = "partner_firm", "合作企业"


UNIT_ROLES = (Role.UNIT_HANDLER, Role.UNIT_SUPERVISOR, Role.COMMUNITY_WORKER)

# Accounts of the empowerment side (赋能): a posted instructor, a volunteer, a partner firm. They sign in to see
# their own postings, shifts and hours, or orders, and nothing else: staff pages and the staff API refuse them
# whatever their jurisdiction (see org.permissions.is_staff_member).
EMPOWER_ROLES = (Role.INSTRUCTOR, Role.VOLUNTEER, Role.PARTNER_FIRM)
