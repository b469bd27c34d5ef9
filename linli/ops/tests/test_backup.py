"""Back up a small world (demands, their event chains, a photo), restore it into an empty database on a
new data directory, and find the same rows, the same events in the same order and the same bytes.

On SQLite in the normal run (the online backup API); on PostgreSQL in the PostgreSQL run (pg_dump).
"""

from __future__ import annotations

import subprocess
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from linli.core.services import attachment_store
from linli.core.tests.images import tiny_png
from linli.demands.tests import factories as df
from linli.ops.backup import read_manifest, restore
from linli.ops.errors import BackupUnreadable, RestoreTargetNotEmpty
from linli.ops.tests import live

CHAIN = (
    "SELECT id, demand_id, kind, CAST(at AS TEXT), actor_id, CAST(old AS TEXT), CAST(new AS TEXT), note "
    "FROM demands_demandevent ORDER BY demand_id, id"
)
COUNTS = {
    t: f"SELECT COUNT(*) FROM {t}"
    for t in ("demands_demand", "demands_demandevent", "demands_assignment", "core_attachment", "org_user")
}


def _world_with_a_photo(world, media: Path):
    df.registered(world)
    df.dispatched(world)
    demand = df.replied(world)
    photo = attachment_store(
        subject_type="demand",
        subject_id=demand.pk,
        upload=SimpleUploadedFile("门口.png", tiny_png(8, 8), content_type="image/png"),
    )
    return photo, (media / photo.file.name).read_bytes()


def _here(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media-before")
    return Path(settings.MEDIA_ROOT)


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_an_empty_database_keeps_rows_event_chains_and_attachment_bytes(
    world, media, tmp_path
):
    photo, photo_bytes = _world_with_a_photo(world, media)
    before = {t: _here(q) for t, q in COUNTS.items()}
    chain = _here(CHAIN)
    assert before["demands_demandevent"][0][0] >= 6 and before["core_attachment"] == [(1,)]

    archive = tmp_path / "linli.tar"
    call_command("backup", str(archive))
    manifest = read_manifest(archive)
    assert manifest["vendor"] == connection.vendor
    assert [f["name"] for f in manifest["files"]] == [f"media/{photo.file.name}"]
    with tarfile.open(archive) as tar:
        assert {"manifest.json", f"media/{photo.file.name}"} <= set(tar.getnames())

    new_data = tmp_path / "restored"
    new_data.mkdir()
    env = live.base_env(new_data)
    restored_db = None
    if connection.vendor == "postgresql":
        restored_db = f"linli_ops_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{restored_db}"')
        env["DATABASE_URL"] = live.postgres_url().rsplit("/", 1)[0] + f"/{restored_db}"
    try:
        done = subprocess.run(
            [live.PYTHON, "manage.py", "restore", str(archive)],
            cwd=live.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "restored and verified" in done.stdout

        if restored_db:
            with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as pg:
                after = {t: pg.execute(q).fetchall() for t, q in COUNTS.items()}
                after_chain = [tuple(r) for r in pg.execute(CHAIN).fetchall()]
        else:
            import sqlite3

            with sqlite3.connect(new_data / "linli.sqlite3") as db:
                after = {t: db.execute(q).fetchall() for t, q in COUNTS.items()}
                after_chain = db.execute(CHAIN).fetchall()
        assert after == before
        assert after_chain == chain  # the same events, ids, order, actors and old/new values
        assert (new_data / "media" / photo.file.name).read_bytes() == photo_bytes

        # Restoring again finds the database no longer empty and refuses.
        again = subprocess.run(
            [live.PYTHON, "manage.py", "restore", str(archive)],
            cwd=live.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert again.returncode != 0 and "backup.target_not_empty" in again.stderr
    finally:
        if restored_db:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_tables_and_a_file_that_is_no_backup(world, tmp_path):
    archive = tmp_path / "linli.tar"
    call_command("backup", str(archive))
    with pytest.raises(RestoreTargetNotEmpty) as caught:
        restore(archive)
    assert caught.value.code == "backup.target_not_empty"
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all")
    with pytest.raises(BackupUnreadable):
        restore(junk)
