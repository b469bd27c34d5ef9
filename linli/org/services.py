"""Writes of the organisation app."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core.geo import geometry_problem
from linli.core.ids import token_secret
from linli.core.text import normalize_phone
from linli.org.errors import BadBoundaries, BadCommunityGroup, BadJurisdiction, BadPhone
from linli.org.models import (
    LEVEL_DEPTH,
    ApiToken,
    CommunityGroup,
    CommunityGroupMember,
    Jurisdiction,
    JurisdictionLevel,
    Resident,
    Role,
    Unit,
    User,
)


@transaction.atomic
def jurisdiction_create(
    *, code: str, name: str, level: str, parent: Jurisdiction | None = None, population: int = 0
) -> Jurisdiction:
    depth = LEVEL_DEPTH.get(level)
    if (
        depth is None
        or (parent is None) != (depth == 0)
        or (parent and LEVEL_DEPTH[parent.level] != depth - 1)
    ):
        raise BadJurisdiction(details={"code": code, "level": level})
    path = (parent.path if parent else "/") + code + "/"
    return Jurisdiction.objects.create(
        code=code, name=name, level=level, parent=parent, path=path, population=population
    )


@transaction.atomic
def unit_create(*, code: str, name: str, kind: str, jurisdiction: Jurisdiction) -> Unit:
    return Unit.objects.create(code=code, name=name, kind=kind, jurisdiction=jurisdiction)


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    unit: Unit | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> User:
    user = User(username=username, role=role, display_name=display_name, unit=unit, jurisdiction=jurisdiction)
    user.is_staff = role in (Role.ADMIN, Role.COORDINATION_OFFICE)
    user.is_superuser = role == Role.ADMIN
    user.set_password(password)
    user.save()
    return user


def resident_get_or_create(*, phone: str, name: str = "") -> Resident:
    """The one row for this phone number; a name given later fills an empty one."""
    try:
        digits = normalize_phone(phone)
    except ValueError as exc:
        raise BadPhone(details={"phone": "invalid"}) from exc
    resident = Resident.objects.filter(phone=digits).first()
    if resident is None:
        try:
            with transaction.atomic():
                return Resident.objects.create(phone=digits, name=name[:40])
        except IntegrityError:
            resident = Resident.objects.get(phone=digits)
    if name and not resident.name:
        Resident.objects.filter(pk=resident.pk, name="").update(name=name[:40])
        resident.name = name[:40]
    return resident


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and never stored."""
    secret = token_secret()
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:12], key_hash=_hash(secret))
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


_TOKEN_USER_SQL = (
    "SELECT u.*, t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at < %s) AS token_stale"
    f" FROM {User._meta.db_table} u JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id"
    " WHERE t.key_hash = %s AND t.revoked_at IS NULL"
)


def api_token_authenticate(*, secret: str) -> User | None:
    """The active user behind a live (unrevoked) token, read afresh on every call so a revocation or a
    deactivation holds at once. One raw query: an integration calls this on every request, and building
    the same select-related query each time cost more CPU than the rest of the check (bench/README.md)."""
    now = timezone.now()
    found = list(User.objects.raw(_TOKEN_USER_SQL, [now - timedelta(seconds=60), _hash(secret)]))
    if not found or not found[0].is_active:
        return None
    user = found[0]
    token = vars(user)  # the raw query's extra columns are plain attributes of the user
    if token["token_stale"]:  # last use noted at most once a minute
        ApiToken.objects.filter(pk=token["token_id"]).update(last_used_at=now)
    return user


@transaction.atomic
def jurisdiction_update(*, jurisdiction: Jurisdiction, name: str, population: int) -> Jurisdiction:
    """Name and population may change; code, level and parent are fixed once created (the path depends on them)."""
    jurisdiction.name, jurisdiction.population = name, population
    jurisdiction.save(update_fields=["name", "population"])
    return jurisdiction


@transaction.atomic
def community_group_set(*, name: str, community_ids: list[int], kind: str = "片区联合党委") -> CommunityGroup:
    """Create the group ``name`` or replace its members; two or more communities, none in another group."""
    ids = sorted(set(community_ids))
    communities = Jurisdiction.objects.filter(
        pk__in=ids, level__in=[JurisdictionLevel.COMMUNITY, JurisdictionLevel.VILLAGE]
    )
    name = (name or "").strip()
    if not name or len(ids) < 2 or communities.count() != len(ids):
        raise BadCommunityGroup(details={"name": name, "communities": ids})
    group, _ = CommunityGroup.objects.select_for_update().get_or_create(name=name, defaults={"kind": kind})
    taken = CommunityGroupMember.objects.filter(community_id__in=ids).exclude(group=group)
    if taken.exists():
        raise BadCommunityGroup(
            details={"in_other_group": sorted(taken.values_list("community_id", flat=True))}
        )
    group.members.exclude(community_id__in=ids).delete()
    have = set(group.members.values_list("community_id", flat=True))
    CommunityGroupMember.objects.bulk_create(
        [CommunityGroupMember(group=group, community_id=i) for i in ids if i not in have]
    )
    return group


MAX_BOUNDARY_BYTES = 20 * 1024 * 1024


@transaction.atomic
def boundaries_import(*, data: bytes) -> dict:
    """Set the boundaries of jurisdictions from a GeoJSON FeatureCollection, all or nothing.

    Each feature names its jurisdiction by ``properties.code`` (the 行政区划代码); every problem is reported
    with the feature's index, and nothing is changed unless every feature is good.
    """
    if len(data) > MAX_BOUNDARY_BYTES:
        raise BadBoundaries(details={"bytes": len(data), "max_bytes": MAX_BOUNDARY_BYTES})
    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadBoundaries(details={"error": f"not JSON: {exc}"[:200]}) from exc
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features:
        raise BadBoundaries(details={"error": "no features"})
    by_code = {j.code: j for j in Jurisdiction.objects.all()}
    problems, updates = [], {}
    for index, feature in enumerate(features):
        code = str(((feature or {}).get("properties") or {}).get("code") or "").strip()
        problem = geometry_problem((feature or {}).get("geometry"))
        if code not in by_code:
            problems.append({"feature": index, "code": code, "error": "unknown jurisdiction code"})
        elif problem:
            problems.append({"feature": index, "code": code, "error": problem})
        else:
            updates[code] = feature["geometry"]
    if problems:
        raise BadBoundaries(details={"problems": problems[:50], "count": len(problems)})
    for code, geometry in updates.items():
        Jurisdiction.objects.filter(pk=by_code[code].pk).update(boundary=geometry)
    return {"updated": len(updates)}
