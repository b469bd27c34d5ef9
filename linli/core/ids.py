"""Public identifiers."""

import secrets

from django.utils import timezone

from linli.core import clock

# No 0/O, 1/I/L: codes are read out on the phone.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def tracking_code() -> str:
    """A public tracking code such as ``LL2611264K7QMZ``: date plus 6 random characters."""
    today = timezone.localdate(clock.now())
    return "LL" + today.strftime("%y%m%d") + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def token_secret() -> str:
    return "llk_" + secrets.token_urlsafe(32)
