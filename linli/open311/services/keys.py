"""Integration keys: created with the secret shown once, stored as a hash, revoked by prefix."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from linli.open311.errors import BadApiKey
from linli.open311.models import ApiKey

NAME_MAX = 80


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def open311_key_create(*, name: str) -> tuple[ApiKey, str]:
    """A new key for one integration; the secret is returned once and never stored."""
    secret = "o311_" + secrets.token_urlsafe(24)
    key = ApiKey.objects.create(name=name.strip()[:NAME_MAX], prefix=secret[:12], key_hash=_hash(secret))
    return key, secret


@transaction.atomic
def open311_key_revoke(*, key: ApiKey) -> bool:
    """False when it was already revoked."""
    return bool(ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()))


def open311_key_authenticate(*, secret: str | None) -> ApiKey:
    """The live key for this secret, or BadApiKey (403)."""
    if not secret or len(secret) > 200:
        raise BadApiKey()
    key = ApiKey.objects.filter(key_hash=_hash(secret), revoked_at__isnull=True).first()
    if key is None:
        raise BadApiKey()
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
