"""List pages and endpoints do not make more queries with more rows (10 more programs, 10 more sign-ups)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linli.programs.tests.factories import camp, sign

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/programs/", "/api/v1/empower/programs/programs", "/portal/programs/"])
def test_program_lists(world, url):
    client = Client()
    client.force_login(world.user("worker"))
    camp(world)
    before = _count(client, url)
    for _ in range(10):
        camp(world)
    assert _count(client, url) == before


@pytest.mark.parametrize("url", ["/programs/{}/", "/api/v1/empower/programs/programs/{}"])
def test_program_detail_with_more_sign_ups(world, url):
    client = Client()
    client.force_login(world.user("worker"))
    program = camp(world, capacity=5)
    sign(program, 1)
    before = _count(client, url.format(program.pk))
    for n in range(2, 12):
        sign(program, n)
    assert _count(client, url.format(program.pk)) == before
