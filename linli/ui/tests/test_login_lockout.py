"""Sign-in lockout: per user name from any address, 15 minutes from the lock, not extended by more tries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from linli.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def sign_in(username, password, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302


def lock(username, addresses):
    for address in addresses:
        sign_in(username, "wrong", address)


def test_five_failures_from_five_addresses_lock_the_user_name(world):
    with time_machine.travel(START, tick=False):
        lock("agent", [f"10.0.0.{n}" for n in range(5)])
        locked = sign_in("agent", PASSWORD, "192.168.1.1")  # right password, yet another address
        assert locked.status_code == 429 and "auth.locked_out" in locked.content.decode()
        assert signed_in(sign_in("dispatcher", PASSWORD, "10.0.0.1"))  # other names are not affected


def test_attempts_while_locked_do_not_extend_the_lock(world):
    with time_machine.travel(START, tick=False) as clock:
        lock("agent", ["10.0.0.1"] * 5)
        # Someone keeps trying every two minutes, with wrong and right passwords.
        for minute in range(2, 15, 2):
            clock.move_to(START + dt.timedelta(minutes=minute))
            assert sign_in("agent", "wrong").status_code == 429
            assert sign_in("agent", PASSWORD).status_code == 429
        # Fifteen minutes from the lock's start, the owner signs in.
        clock.move_to(START + dt.timedelta(minutes=15, seconds=1))
        assert signed_in(sign_in("agent", PASSWORD))


def test_a_success_clears_the_count_and_failures_far_apart_do_not_add_up(world):
    with time_machine.travel(START, tick=False) as clock:
        lock("agent", ["10.0.0.1"] * 4)
        assert signed_in(sign_in("agent", PASSWORD))
        lock("agent", ["10.0.0.1"] * 4)  # four more after the success: not locked
        assert signed_in(sign_in("agent", PASSWORD))
        lock("agent", ["10.0.0.1"] * 4)
        clock.move_to(START + dt.timedelta(minutes=16))
        sign_in("agent", "wrong")  # the fifth failure, but 16 minutes after the last: a fresh count
        assert signed_in(sign_in("agent", PASSWORD))
