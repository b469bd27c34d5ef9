"""The secret key: never the one written in settings.py on a server; a new data directory gets its own."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from linli.core.checks import E001, W002, builtin_secret_key, deploy_secret_key, refuse_builtin_key
from linli.core.secret import BUILTIN_KEY, resolve_secret_key

ROOT = Path(__file__).resolve().parents[3]


def test_a_new_data_directory_gets_a_random_key_readable_only_by_its_owner(tmp_path):
    data = tmp_path / "new" / "var"
    key, source = resolve_secret_key({}, data)
    assert source == "file" and key != BUILTIN_KEY and len(key) >= 50
    path = data / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert resolve_secret_key({}, data) == (key, "file")  # the same key on the next start
    other, _ = resolve_secret_key({}, tmp_path / "other")
    assert other != key


def test_the_environment_wins_over_the_key_file(tmp_path):
    resolve_secret_key({}, tmp_path)
    assert resolve_secret_key({"SECRET_KEY": "from-env-" + "z" * 50}, tmp_path) == (
        "from-env-" + "z" * 50,
        "env",
    )


def test_a_data_directory_that_cannot_be_written_leaves_the_builtin_key(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert resolve_secret_key({}, blocker / "var") == (BUILTIN_KEY, "builtin")


def test_the_checks_refuse_the_builtin_key_with_debug_off_and_report_it_on_deploy(settings):
    settings.LINLI_SECRET_KEY_SOURCE, settings.SECRET_KEY, settings.DEBUG = "builtin", BUILTIN_KEY, False
    assert [e.id for e in builtin_secret_key()] == [E001]
    with pytest.raises(Exception, match=E001):
        refuse_builtin_key()
    settings.DEBUG = True  # a developer's machine may run on it, but the deployment check says so
    assert builtin_secret_key() == [] and [e.id for e in deploy_secret_key()] == [E001]
    refuse_builtin_key()
    settings.LINLI_SECRET_KEY_SOURCE = "file"
    assert [e.id for e in deploy_secret_key()] == [W002]
    settings.LINLI_SECRET_KEY_SOURCE, settings.DEBUG = "env", False
    assert builtin_secret_key() == [] and deploy_secret_key() == []


def _manage(args, tmp_path, **env):
    full = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    full.update(LINLI_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_server_refuses_to_start_on_the_builtin_key_and_check_deploy_names_it(tmp_path):
    unwritable = tmp_path / "file"
    unwritable.write_text("x")
    data = str(unwritable / "var")
    served = _manage(["serve", "--port", "0"], Path(data), DEBUG="0")
    assert served.returncode != 0 and E001 in served.stderr
    deploy = _manage(["check", "--deploy"], Path(data), DEBUG="1")
    assert deploy.returncode != 0 and E001 in deploy.stderr
    wsgi = subprocess.run(
        [sys.executable, "-c", "import linli.wsgi"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")},
            "LINLI_DATA_DIR": data,
            "DEBUG": "0",
            "PYTHONPATH": str(ROOT),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wsgi.returncode != 0 and E001 in wsgi.stderr


def test_a_fresh_data_directory_serves_checks_clean_on_its_own_key(tmp_path):
    result = _manage(["check"], tmp_path, DEBUG="0")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()
