"""Real processes for the ops tests: a Redis server, a database other processes can reach, subprocesses.

``redis`` tests are skipped when ``redis-server`` is not installed, unless ``LINLI_REQUIRE_REDIS=1`` (CI),
where that is a failure. The database: on PostgreSQL the test database itself (transactional tests, so
what the subprocesses write is visible here); on SQLite a migrated file, copied for each test.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable


def require(binary: str, env_flag: str) -> str:
    found = shutil.which(binary) or next(
        (p for p in (f"/usr/sbin/{binary}", f"/usr/bin/{binary}") if os.path.exists(p)), None
    )
    if found:
        return found
    if os.environ.get(env_flag) == "1":
        pytest.fail(f"{binary} is required here ({env_flag}=1) but not installed")
    pytest.skip(f"{binary} not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@contextmanager
def redis_server(tmp_path: Path):
    binary = require("redis-server", "LINLI_REQUIRE_REDIS")
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        wait_for(lambda: _ping(redis, url), 10, "redis-server")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _ping(redis, url) -> bool:
    try:
        return bool(redis.Redis.from_url(url).ping())
    except Exception:
        return False


def base_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "LINLI_TEST_NOW")}
    env.update(
        LINLI_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="linli.settings",
        PYTHONPATH=str(ROOT),
        LINLI_LOG_FORMAT="json",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def postgres_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def migrated_sqlite(directory: Path) -> Path:
    """A SQLite file with every migration applied (``linli.sqlite3`` in ``directory``)."""
    directory.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "migrate", "-v", "0"],
        cwd=ROOT,
        env=base_env(directory),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return directory / "linli.sqlite3"


class LiveDatabase:
    """The database the subprocesses use: ``env()`` for them, ``rows(sql)`` to read what they wrote."""

    def __init__(self, data_dir: Path, sqlite_file: Path | None):
        self.data_dir = data_dir
        self.sqlite_file = sqlite_file

    def env(self, **extra: str) -> dict[str, str]:
        if self.sqlite_file is None:
            extra.setdefault("DATABASE_URL", postgres_url())
        return base_env(self.data_dir, **extra)

    def rows(self, sql: str, params=()) -> list[tuple]:
        if self.sqlite_file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall()
        with sqlite3.connect(self.sqlite_file, timeout=20) as db:
            return db.execute(sql, params).fetchall()


def live_database(request, tmp_path: Path, template: Path | None) -> LiveDatabase:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if on_postgres():  # the caller holds ``transactional_db``: what the subprocesses write is visible here
        return LiveDatabase(data_dir, None)
    assert template is not None
    shutil.copy(template, data_dir / "linli.sqlite3")
    return LiveDatabase(data_dir, data_dir / "linli.sqlite3")


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A subprocess in its own process group (so ``kill_group`` takes its children too), output to ``log``."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
