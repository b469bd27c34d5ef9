"""Reads of the organisation app used by other apps."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.geo import contains
from linli.org.errors import UnknownJurisdiction, UnknownUnit
from linli.org.models import (
    GRASSROOTS_UNIT_KINDS,
    ApiToken,
    CommunityGroup,
    CommunityGroupMember,
    Jurisdiction,
    JurisdictionLevel,
    Resident,
    Unit,
    User,
)


def jurisdiction_get(*, jurisdiction_id: int | None = None, code: str | None = None) -> Jurisdiction:
    qs = Jurisdiction.objects.all()
    row = (
        qs.filter(pk=jurisdiction_id).first() if jurisdiction_id is not None else qs.filter(code=code).first()
    )
    if row is None:
        raise UnknownJurisdiction(details={"jurisdiction": jurisdiction_id or code})
    return row


def community_get(
    *, community_id: int | None = None, code: str | None = None, name: str | None = None
) -> Jurisdiction:
    """A community or village, by id, code or exact name."""
    qs = Jurisdiction.objects.filter(level__in=[JurisdictionLevel.COMMUNITY, JurisdictionLevel.VILLAGE])
    if community_id is not None:
        row = qs.filter(pk=community_id).first()
    elif code:
        row = qs.filter(code=code).first()
    else:
        row = qs.filter(name=name).first() if name else None
    if row is None:
        raise UnknownJurisdiction(details={"community": community_id or code or name})
    return row


def jurisdiction_subtree_ids(*, jurisdiction: Jurisdiction) -> list[int]:
    return list(Jurisdiction.objects.filter(path__startswith=jurisdiction.path).values_list("pk", flat=True))


def jurisdiction_ancestors(*, jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    """From the node itself up to the city."""
    codes = [c for c in jurisdiction.path.strip("/").split("/") if c]
    by_code = {j.code: j for j in Jurisdiction.objects.filter(code__in=codes)}
    return [by_code[c] for c in reversed(codes) if c in by_code]


def jurisdiction_list(*, level: str | None = None) -> QuerySet[Jurisdiction]:
    qs = Jurisdiction.objects.all()
    return qs.filter(level=level) if level else qs


def unit_get(*, unit_id: int | None = None, code: str | None = None) -> Unit:
    qs = Unit.objects.select_related("jurisdiction").filter(is_active=True)
    row = qs.filter(pk=unit_id).first() if unit_id is not None else qs.filter(code=code).first()
    if row is None:
        raise UnknownUnit(details={"unit": unit_id or code})
    return row


def unit_list() -> QuerySet[Unit]:
    return Unit.objects.select_related("jurisdiction").filter(is_active=True)


def grassroots_unit_ids() -> set[int]:
    return set(Unit.objects.filter(kind__in=GRASSROOTS_UNIT_KINDS).values_list("pk", flat=True))


def units_by_id(ids) -> dict[int, Unit]:
    return Unit.objects.select_related("jurisdiction").in_bulk(list(ids))


def resident_get(*, resident_id: int) -> Resident | None:
    return Resident.objects.filter(pk=resident_id).first()


def staff_list() -> QuerySet[User]:
    return User.objects.select_related("unit", "jurisdiction").filter(is_active=True)


def api_token_list(*, username: str | None = None, prefix: str | None = None) -> QuerySet[ApiToken]:
    """API tokens with their user, newest first; revoked ones included."""
    qs = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    if username:
        qs = qs.filter(user__username=username)
    if prefix:
        qs = qs.filter(prefix=prefix)
    return qs


def community_group_of(*, community_id: int) -> CommunityGroup | None:
    """The joint committee (片区联合党委) a community belongs to, if any."""
    member = CommunityGroupMember.objects.select_related("group").filter(community_id=community_id).first()
    return member.group if member else None


def community_group_ids(*, community_id: int) -> list[int]:
    """The communities that share volunteers, programs and orders with this one: its group, or itself alone."""
    member = CommunityGroupMember.objects.filter(community_id=community_id).first()
    if member is None:
        return [community_id]
    return sorted(
        CommunityGroupMember.objects.filter(group_id=member.group_id).values_list("community_id", flat=True)
    )


def community_group_list() -> QuerySet[CommunityGroup]:
    return CommunityGroup.objects.prefetch_related("members__community").order_by("name")


def boundaries_geojson(*, level: str | None = None, ids: list[int] | None = None) -> dict:
    """The uploaded boundaries as a GeoJSON FeatureCollection (code, name, level in the properties)."""
    qs = Jurisdiction.objects.filter(boundary__isnull=False)
    if level:
        qs = qs.filter(level=level)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": j.pk,
                "properties": {"code": j.code, "name": j.name, "level": j.level},
                "geometry": j.boundary,
            }
            for j in qs.order_by("path")
        ],
    }


def community_at(*, latitude: float, longitude: float) -> Jurisdiction | None:
    """The community (or village) whose uploaded boundary holds the point, if any."""
    for community in Jurisdiction.objects.filter(
        level__in=[JurisdictionLevel.COMMUNITY, JurisdictionLevel.VILLAGE], boundary__isnull=False
    ):
        if community.boundary and contains(community.boundary, latitude, longitude):
            return community
    return None
