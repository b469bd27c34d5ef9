"""List endpoints read in a fixed number of queries, whatever the number of rows; the sync job is registered."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from linli.demands import services as ds
from linli.open311.tests.helpers import BASE, good_post, new_key, stall_attributes

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_get_requests_and_services_do_not_grow_with_rows(client, world):
    stall_attributes(world)
    key = new_key()
    with time_machine.travel(NOW, tick=False):
        for _ in range(2):
            client.post(BASE + "requests.json", good_post(key))
        before = _count(client, BASE + "requests.json"), _count(client, BASE + "services.json")
        for n in range(10):
            code = client.post(BASE + "requests.json", good_post(key, description=f"第{n}处占道摊点")).json()[
                0
            ]["service_request_id"]
            from linli.demands.selectors import open_data_demands

            demand_id = open_data_demands().get(code=code).pk
            ds.demand_dispatch(actor=world.user("dispatcher"), demand_id=demand_id, lead_unit_id=world.cg.pk)
        after = _count(client, BASE + "requests.json"), _count(client, BASE + "services.json")
    assert len(client.get(BASE + "requests.json").json()) == 12
    assert after == before


def test_the_sync_job_runs_in_the_scheduler_and_celery_beat():
    paths = [path for path, _ in settings.LINLI_PERIODIC_JOBS]
    assert "linli.open311.services.open311_outbound_sync" in paths
    assert callable(import_string("linli.open311.services.open311_outbound_sync"))
