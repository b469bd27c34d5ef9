"""Reads of the outbox."""

from __future__ import annotations

from linli.notify.models import Preference


def preference_get(*, user) -> Preference | None:
    return Preference.objects.filter(user=user).first()
