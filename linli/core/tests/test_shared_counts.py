"""Without Redis the cache is the database: two worker processes share every rate-limit count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from linli.core.cache import DatabaseCache

ROOT = Path(__file__).resolve().parents[3]
WORKER = """
import django, sys
django.setup()
from linli.core import ratelimit
allowed = sum(ratelimit.hit("shared_test", "203.0.113.9", default=(150, 3600)) for _ in range(100))
print(allowed)
"""


def test_without_redis_the_default_cache_is_the_database():
    assert not settings.REDIS_URL
    assert isinstance(caches["default"], DatabaseCache)


def test_two_processes_hitting_one_limit_let_through_exactly_the_limit(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(LINLI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="linli.settings", PYTHONPATH=str(ROOT))
    migrate = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "core", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    allowed = [int(w.communicate(timeout=300)[0].strip()) for w in workers]
    assert sum(allowed) == 150, (
        allowed
    )  # 200 requests, a limit of 150: 50 refused, whichever process served them
    assert all(a > 0 for a in allowed)
