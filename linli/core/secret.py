"""Where the secret key comes from: the environment, else a random key kept in the data directory.

A new data directory gets its own random key in ``secret_key`` (mode 0600),
so an embedded installation never signs sessions and password-reset links
with a key anyone can read in the source. The key written in settings.py is
left only for a data directory that cannot be written; the system check
``linli.E001`` (and ``check --deploy``) then refuses it unless ``DEBUG`` is on.

Imported by settings.py, so it must not import Django's settings.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

BUILTIN_KEY = "linli-insecure-embedded-demo-key-change-me-in-production-0123456789"
KEY_FILE = "secret_key"

ENV, FILE, BUILTIN = "env", "file", "builtin"


def _read(path: Path) -> str:
    for _ in range(50):  # another process may be between creating the file and writing the key
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty")


def resolve_secret_key(env: dict | os._Environ, data_dir: Path) -> tuple[str, str]:
    """(key, source): ``SECRET_KEY`` from the environment, else the data directory's key file, created if new."""
    key = (env.get("SECRET_KEY") or "").strip()
    if key:
        return key, ENV
    path = Path(data_dir) / KEY_FILE
    try:
        if path.exists():
            return _read(path), FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _read(path), FILE
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(50) + "\n")
        return _read(path), FILE
    except (OSError, RuntimeError, UnicodeDecodeError):
        return BUILTIN_KEY, BUILTIN
