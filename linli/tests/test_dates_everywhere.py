"""Dates outside 1990-01-01 … today + 1 year are refused with common.date_out_of_range at every entry point:
imported rows, page forms and query parameters, not only the API."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
import time_machine
from django.test import Client

from linli.core.daterange import DateOutOfRange, check_date, max_date
from linli.demands.models import Demand
from linli.demands.services.imports import demands_import

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=CST)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def signed_in(world, name):
    client = Client()
    client.force_login(world.user(name))
    return client


def test_the_range_runs_from_1990_to_a_year_after_the_local_date():
    assert max_date() == dt.date(2027, 12, 2)
    assert check_date(dt.date(1990, 1, 1)) == dt.date(1990, 1, 1)
    assert check_date(dt.datetime(2027, 12, 2, 23, 59, tzinfo=CST))
    for bad in (
        dt.date(1989, 12, 31),
        dt.date(2027, 12, 3),
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC),
    ):
        with pytest.raises(DateOutOfRange) as caught:
            check_date(bad, field="arrived_at")
        assert caught.value.code == "common.date_out_of_range" and caught.value.status == 422
        assert "1990-01-01" in caught.value.message_zh and "2027-12-02" in caught.value.message_en
    # At 00:30 Beijing time the local date is already the next day, while UTC is still on the day before.
    with time_machine.travel(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False):
        assert max_date() == dt.date(2028, 1, 1)


def test_an_imported_row_dated_0001_is_reported_and_the_rest_imported(world, tmp_path):
    path = tmp_path / "old.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["诉求类型", "诉求内容", "社区", "受理时间"])
        writer.writerow(["求助", "路灯不亮", "金榕社区", "0001-01-01 09:00"])
        writer.writerow(["求助", "井盖缺失", "金榕社区", "1989-12-31 09:00"])
        writer.writerow(["求助", "噪音扰民", "金榕社区", "2026-11-30 09:00"])
        writer.writerow(["求助", "积水", "金榕社区", "2958466"])  # an Excel serial number past the year 9999
    report = demands_import(source_path=str(path))
    codes = {b.row: b.code for b in report.bad_rows}
    assert codes[2] == "common.date_out_of_range" and codes[3] == "common.date_out_of_range"
    assert 5 in codes
    assert sorted(report.imported) == [4]
    assert Demand.objects.count() == 1


def test_the_demand_list_refuses_a_far_date_in_its_filter_without_a_500(world):
    response = signed_in(world, "dispatcher").get(
        "/demands/", {"date_from": "0001-01-01", "date_to": "9999-12-30"}
    )
    assert response.status_code < 500
    assert "1990-01-01" in response.content.decode()


def test_the_dashboard_refuses_a_far_period_with_the_code(world):
    response = signed_in(world, "coord").get("/dashboard/", {"from": "0001-01-01", "to": "2026-12-01"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "common.date_out_of_range" in page or "1990-01-01" in page


def test_the_ledger_page_refuses_a_far_date_with_the_code(world):
    response = signed_in(world, "coord").get("/access/ledger/", {"before_from": "0001-01-01"})
    assert response.status_code == 422
    assert "1990-01-01" in response.content.decode()


def test_a_campaign_ending_in_9999_is_refused_on_the_page(world):
    client = signed_in(world, "coord")
    response = client.post(
        "/visits/campaigns/new/",
        {"name": "冬季夜访", "area": world.community.pk, "starts_on": "2026-12-05", "ends_on": "9999-12-31"},
        follow=True,
    )
    assert response.status_code < 500
    assert "1990-01-01" in response.content.decode()


def test_a_catalogue_row_effective_from_0001_refuses_the_file_with_the_row(world):
    from linli.access import services as access_services
    from linli.access.errors import ImportFailed
    from linli.access.tests.test_catalogue import xlsx

    upload = xlsx([["Z-1", "测试事项", "依法履职", "", "", "", "", "", "", "", "0001-01-01", ""]])
    with pytest.raises(ImportFailed) as caught:
        access_services.catalogue_import_xlsx(actor=world.user("coord"), upload=upload)
    [error] = caught.value.details["errors"]
    assert error["row"] == 2 and "1990-01-01" in error["message"]
