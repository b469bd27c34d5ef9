"""Organisation endpoints: who am I, units, jurisdictions."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from linli.org import permissions as perms
from linli.org.selectors import jurisdiction_list, unit_list
from linli.org.states import JurisdictionLevel, Role, UnitKind

router = Router(tags=["组织 Organisation"])


class Ref(Schema):
    id: int
    name: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: UnitKind
    kind_label: str
    jurisdiction: Ref


class JurisdictionOut(Schema):
    id: int
    code: str
    name: str
    level: JurisdictionLevel
    level_label: str
    parent_id: int | None
    path: str


class Abilities(Schema):
    can_register: bool
    can_dispatch: bool
    can_callback: bool
    can_supervise: bool
    can_escalate: bool
    can_see_full_phone: bool


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: Role
    role_label: str
    unit: Ref | None
    jurisdiction: Ref | None
    permissions: Abilities = Field(description="这个账号能做什么 / What this account may do")


class JurisdictionFilter(Schema):
    level: JurisdictionLevel | None = None


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


@router.get("/me", response=MeOut, summary="当前用户 / Current user")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "role": user.role,
        "role_label": Role(user.role).label,
        "unit": _ref(user.unit),
        "jurisdiction": _ref(user.jurisdiction),
        "permissions": {
            "can_register": perms.can_register(user),
            "can_dispatch": perms.can_dispatch(user),
            "can_callback": perms.can_callback(user),
            "can_supervise": perms.can_supervise(user),
            "can_escalate": perms.can_escalate(user),
            "can_see_full_phone": perms.can_see_full_phone(user),
        },
    }


@router.get("/units", response=list[UnitOut], summary="承办单位 / Units")
def units(request):
    return [
        {
            "id": u.pk,
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "kind_label": UnitKind(u.kind).label,
            "jurisdiction": _ref(u.jurisdiction),
        }
        for u in unit_list()
    ]


@router.get("/jurisdictions", response=list[JurisdictionOut], summary="行政区划 / Jurisdictions")
def jurisdictions(request, filters: Query[JurisdictionFilter]):
    return [
        {
            "id": j.pk,
            "code": j.code,
            "name": j.name,
            "level": j.level,
            "level_label": JurisdictionLevel(j.level).label,
            "parent_id": j.parent_id,
            "path": j.path,
        }
        for j in jurisdiction_list(level=filters.level)
    ]
