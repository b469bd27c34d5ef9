"""``linli api-token``: create prints a secret that works, list shows it, revoke stops it (given / when / then)."""

from __future__ import annotations

import io
import sys

import pytest
from django.core import management
from django.core.management import CommandError, call_command
from django.test import Client

from linli import cli

ME = "/api/v1/me"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def me(secret: str):
    return Client().get(ME, headers={"Authorization": f"Bearer {secret}"})


def test_create_prints_a_secret_that_authenticates_and_revoke_makes_it_401(world):
    out, err = run("create", "agent", "--name", "12345热线对接")
    secret = out.strip()
    assert len(secret) > 20 and "\n" not in secret
    assert "只显示这一次" in err

    r = me(secret)
    assert r.status_code == 200 and r.json()["username"] == "agent"

    listing, _ = run("list")
    [row] = [line.split("\t") for line in listing.splitlines()[1:]]
    prefix, name, user, created, last_used, revoked = row
    assert (prefix, name, user, revoked) == (secret[:12], "12345热线对接", "agent", "-")
    assert created != "-" and last_used != "-"  # the request above used it
    assert secret not in listing

    out, _ = run("revoke", prefix)
    assert "已吊销" in out
    r = me(secret)
    assert r.status_code == 401 and r.json()["code"] == "auth.required"
    [row] = [line.split("\t") for line in run("list", "agent")[0].splitlines()[1:]]
    assert row[5] != "-"
    assert "已于" in run("revoke", prefix)[0]  # revoking twice changes nothing


def test_list_by_user_shows_only_that_users_tokens(world):
    run("create", "agent", "--name", "热线")
    run("create", "dispatcher", "--name", "派单台")

    listing, _ = run("list", "dispatcher")

    assert [line.split("\t")[1:3] for line in listing.splitlines()[1:]] == [["派单台", "dispatcher"]]
    assert "没有令牌" in run("list", "nobody")[0]


def test_unknown_user_prefix_or_a_bad_name_is_a_command_error(world):
    with pytest.raises(CommandError, match="nobody"):
        run("create", "nobody", "--name", "x")
    with pytest.raises(CommandError):
        run("create", "agent", "--name", "长" * 81)
    with pytest.raises(CommandError, match="abc"):
        run("revoke", "abc")


def test_the_linli_command_accepts_the_dashed_name(world, monkeypatch):
    # Django's command runner closes the database connections when it finishes, which would end the test's
    # transaction; capture the argv the ``linli`` entry point hands on and run that in-process instead.
    seen = []
    monkeypatch.setattr(management, "execute_from_command_line", seen.append)
    monkeypatch.setattr(sys, "argv", ["linli", "api-token", "create", "agent", "--name", "命令行"])
    cli.main()
    [argv] = seen
    assert argv[1:] == ["api_token", "create", "agent", "--name", "命令行"]

    out, _ = run(*argv[2:])
    assert me(out.strip()).status_code == 200
