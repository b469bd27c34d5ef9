"""Run a script as a user would from a shell: without the test process's Django set-up and database.

Used by the tests that start bench scripts (``bench/``) in a process of their own.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(
    args: list[str], *, cwd: Path = ROOT, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess:
    """``args`` in a fresh process; the environment is the test's without ``DJANGO_SETTINGS_MODULE`` and
    ``DATABASE_URL`` (the script sets up its own), plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    return subprocess.run(
        args, cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=timeout
    )
