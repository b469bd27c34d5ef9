"""Writes of the organisation app."""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core.ids import token_secret
from linli.core.text import normalize_phone
from linli.org.errors import BadJurisdiction, BadPhone
from linli.org.models import LEVEL_DEPTH, ApiToken, Jurisdiction, Resident, Role, Unit, User


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


def api_token_authenticate(*, secret: str) -> User | None:
    try:
        token = ApiToken.objects.select_related("user").get(key_hash=_hash(secret), revoked_at__isnull=True)
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def jurisdiction_update(*, jurisdiction: Jurisdiction, name: str, population: int) -> Jurisdiction:
    """Name and population may change; code, level and parent are fixed once created (the path depends on them)."""
    jurisdiction.name, jurisdiction.population = name, population
    jurisdiction.save(update_fields=["name", "population"])
    return jurisdiction
