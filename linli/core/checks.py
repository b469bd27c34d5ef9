"""System checks of Linli's own settings (``manage.py check``, ``check --deploy``, and before ``linli serve``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from linli.core.secret import BUILTIN, FILE

E001 = "linli.E001"
W002 = "linli.W002"

_HINT = (
    "Set SECRET_KEY in the environment (for example `python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
    "or make LINLI_DATA_DIR writable so a random key is kept there."
)


def _builtin_key_error() -> Error:
    return Error(
        "SECRET_KEY is the key written in linli/settings.py; anyone can forge sessions and signed links with it.",
        hint=_HINT,
        id=E001,
    )


@register(Tags.security)
def builtin_secret_key(app_configs=None, **kwargs):
    """Never serve (DEBUG=0) on the key anyone can read in the source."""
    if getattr(settings, "LINLI_SECRET_KEY_SOURCE", "") == BUILTIN and not settings.DEBUG:
        return [_builtin_key_error()]
    return []


@register(Tags.security, deploy=True)
def deploy_secret_key(app_configs=None, **kwargs):
    """``check --deploy``: the built-in key, even with DEBUG on; a key file that several servers would not share."""
    source = getattr(settings, "LINLI_SECRET_KEY_SOURCE", "")
    if source == BUILTIN and settings.DEBUG:
        return [_builtin_key_error()]
    if source == FILE:
        return [
            Warning(
                "SECRET_KEY comes from the key file in LINLI_DATA_DIR, not from the environment; "
                "servers that do not share that directory sign with different keys.",
                hint="Set SECRET_KEY in the environment of every server.",
                id=W002,
            )
        ]
    return []


def refuse_builtin_key() -> None:
    """Raise ``ImproperlyConfigured`` when the server would run with DEBUG off on the built-in key."""
    from django.core.exceptions import ImproperlyConfigured

    if builtin_secret_key():
        raise ImproperlyConfigured(f"{E001}: SECRET_KEY is the built-in key. {_HINT}")
