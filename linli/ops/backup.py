"""``linli backup`` and ``linli restore``: the database and the uploaded files in one archive.

The archive is a tar file:

- ``manifest.json``: format, database vendor, time, the last migration of each app, rows per table and
  the uploaded files with their SHA-256;
- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``, consistent as of its start) or
  ``database.sqlite3`` (SQLite, through SQLite's online backup API: writers may go on meanwhile);
- ``media/…``: the uploaded files (attachments) under ``MEDIA_ROOT``;
- ``models/…``: the trained dispatch models.

Restore goes into an empty database only (a new PostgreSQL database, or a SQLite path with no tables): it
never mixes a backup with live data. After loading it counts the rows of every table and checks each
attachment's bytes against the SHA-256 recorded with it, and refuses to call the restore good otherwise.
``SECRET_KEY`` is not in the archive: production sets it in the environment (and a data directory's
``secret_key`` file is the embedded demo's); sessions signed with another key simply sign in again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from linli.ops.errors import (
    BackupFailed,
    BackupUnreadable,
    BackupWrongDatabase,
    RestoreFailed,
    RestoreTargetNotEmpty,
)

FORMAT = 1
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def _tables() -> list[str]:
    names = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    existing = set(connection.introspection.table_names())
    return sorted(names & existing)


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_roots() -> dict[str, Path]:
    models = Path(getattr(settings, "LINLI_DISPATCH_MODEL_DIR", "") or Path(settings.DATA_DIR) / "models")
    return {"media": Path(settings.MEDIA_ROOT), "models": models}


def _pg_env_args() -> tuple[dict[str, str], list[str]]:
    s = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(s.get("PASSWORD") or "")}
    args = [
        "-h",
        str(s.get("HOST") or "127.0.0.1"),
        "-p",
        str(s.get("PORT") or 5432),
        "-U",
        str(s.get("USER") or ""),
    ]
    return env, [*args, "-d", str(s["NAME"])]


def default_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"linli-{stamp}.tar"


def backup(path: Path | str | None = None) -> dict:
    """Write the archive to ``path`` (default ``DATA_DIR/backups/linli-<local time>.tar``); its manifest."""
    vendor = connection.vendor
    if vendor not in DUMP:
        raise BackupFailed(details={"vendor": vendor})
    target = Path(path) if path else default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    recorder = MigrationRecorder(connection)
    migrations: dict[str, str] = {}
    for app, name in recorder.migration_qs.order_by("app", "name").values_list("app", "name"):
        migrations[app] = name
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        dump = Path(work) / DUMP[vendor]
        counts = table_counts()
        if vendor == "postgresql":
            env, args = _pg_env_args()
            done = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(dump), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupFailed(details={"pg_dump": done.stderr.strip()[-500:]})
        else:
            if connection.in_atomic_block:  # SQLite's backup would wait forever on our own write lock
                raise BackupFailed(details={"reason": "called inside a transaction"})
            connection.ensure_connection()
            with sqlite3.connect(dump) as out:
                connection.connection.backup(out)
            out.close()
        files = []
        for prefix, root in _file_roots().items():
            if root.is_dir():
                for file in sorted(p for p in root.rglob("*") if p.is_file()):
                    rel = file.relative_to(root).as_posix()
                    files.append(
                        {"name": f"{prefix}/{rel}", "size": file.stat().st_size, "sha256": _sha256(file)}
                    )
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "migrations": migrations,
            "counts": counts,
            "files": files,
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            tar.add(dump, arcname=DUMP[vendor])
            roots = _file_roots()
            for entry in files:
                prefix, rel = entry["name"].split("/", 1)
                tar.add(roots[prefix] / rel, arcname=entry["name"])
        partial.replace(target)  # a half-written archive never carries the final name
    return {**manifest, "path": str(target), "bytes": target.stat().st_size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(tz=dt.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def read_manifest(path: Path | str) -> dict:
    try:
        with tarfile.open(path, "r") as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else None
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupUnreadable(details={"path": str(path), "error": str(exc)[:200]}) from exc
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("vendor") not in DUMP
    ):
        raise BackupUnreadable(details={"path": str(path)})
    return manifest


def restore(path: Path | str) -> dict:
    """Load the archive into the configured database, which must be empty, and its files; then verify."""
    manifest = read_manifest(path)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupWrongDatabase(details={"backup": manifest["vendor"], "database": vendor})
    existing = connection.introspection.table_names()
    if existing:
        raise RestoreTargetNotEmpty(details={"tables": len(existing)})
    roots = _file_roots()
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r") as tar:
        tar.extractall(work, filter="data")  # refuses absolute paths, "..", links out of the directory
        dump = Path(work) / DUMP[vendor]
        if vendor == "postgresql":
            env, args = _pg_env_args()
            connection.close()
            done = subprocess.run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    *args,
                    str(dump),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RestoreFailed(details={"pg_restore": done.stderr.strip()[-500:]})
        else:
            connection.ensure_connection()
            with sqlite3.connect(dump) as source:
                source.backup(connection.connection)
            source.close()
            connection.close()
        for entry in manifest["files"]:
            prefix, rel = entry["name"].split("/", 1)
            destination = roots[prefix] / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(work) / entry["name"], destination)
    return verify(manifest)


def verify(manifest: dict) -> dict:
    """Rows per table and every file's bytes as the manifest recorded them; raises ``RestoreFailed`` if not."""
    counts = table_counts()
    wrong_counts = {
        t: {"backup": n, "restored": counts.get(t)}
        for t, n in manifest["counts"].items()
        if counts.get(t) != n
    }
    roots = _file_roots()
    wrong_files = []
    for entry in manifest["files"]:
        prefix, rel = entry["name"].split("/", 1)
        file = roots[prefix] / rel
        if not file.is_file() or _sha256(file) != entry["sha256"]:
            wrong_files.append(entry["name"])
    if wrong_counts or wrong_files:
        raise RestoreFailed(details={"counts": wrong_counts, "files": wrong_files[:20]})
    return {"tables": len(counts), "rows": sum(counts.values()), "files": len(manifest["files"])}
