"""The dispatch quality page: this month's dispatches and how the suggestions did, for dispatchers and the office."""

from __future__ import annotations

import pytest
from django.test import Client

from linli.demands.tests.factories import dispatched

pytestmark = pytest.mark.django_db


def signed_in(world, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def test_dispatch_quality_report_counts_this_months_dispatches(world):
    dispatched(world)
    dispatched(world, text="另一条诉求：路口红绿灯坏了")
    client = signed_in(world, "dispatcher")
    html = client.get("/dispatch-quality/").content.decode()
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert '<td data-label="派单数">2</td>' in first_row
    assert signed_in(world, "cg_handler").get("/dispatch-quality/").status_code == 403
