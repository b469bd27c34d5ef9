"""Demands as files over HTTP: export the filtered list as CSV or XLSX, import a 台账 file (given / when / then)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.demands.exports import HEADERS
from linli.demands.models import Demand
from linli.demands.services import imports
from linli.demands.tests import factories as f
from linli.demands.tests.test_api import BASE, Api, expect
from linli.org.services import api_token_create

TZ = timezone.get_default_timezone()
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
PHONE = HEADERS.index("联系电话")
CODE = HEADERS.index("受理编号")


@pytest.fixture
def demands(world):
    """One demand dispatched to 区城管局 in 金榕社区, one only registered in 涵江村."""
    with time_machine.travel(NOW, tick=False):
        cg = f.dispatched(world, phone="13812341234")
        village = f.registered(
            world, demand_type="consultation", community_id=world.other_community.pk, phone="13900001111"
        )
    return cg, village


def export(user, **params):
    with time_machine.travel(NOW, tick=False):
        return Api(user).get("/demands/export", params)


def csv_rows(response) -> list[list[str]]:
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- export -------------------------------------------------------------------------------------------


def test_export_csv_has_only_the_filtered_rows_as_an_attachment(world, demands):
    cg, village = demands

    r = export(world.user("dispatcher"), format="csv", community=world.other_community.pk)

    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert r["Content-Disposition"] == 'attachment; filename="demands-20261126.csv"'
    rows = csv_rows(r)
    assert rows[0] == HEADERS
    assert [row[CODE] for row in rows[1:]] == [village.code]
    assert rows[1][PHONE] == "13900001111"  # a dispatcher sees the whole number


def test_export_csv_without_a_format_and_with_a_status_filter(world, demands):
    cg, _ = demands

    rows = csv_rows(export(world.user("dispatcher"), status="dispatched"))

    assert [row[CODE] for row in rows[1:]] == [cg.code]


def test_export_xlsx_masks_the_phone_for_a_unit_handler_and_shows_it_to_a_dispatcher(world, demands):
    cg, village = demands

    handler = export(world.user("cg_handler"), format="xlsx")
    dispatcher = export(world.user("dispatcher"), format="xlsx")

    assert handler.status_code == 200 and handler["Content-Type"].startswith("application/vnd.openxmlformats")
    assert handler["Content-Disposition"] == 'attachment; filename="demands-20261126.xlsx"'
    handler_rows = xlsx_rows(handler)
    assert handler_rows[0] == HEADERS
    # the handler sees only his unit's demand, with the number masked
    assert [(row[CODE], row[PHONE]) for row in handler_rows[1:]] == [(cg.code, "138****1234")]
    by_code = {row[CODE]: row[PHONE] for row in xlsx_rows(dispatcher)[1:]}
    assert by_code == {cg.code: "13812341234", village.code: "13900001111"}


def test_an_xlsx_export_over_the_row_limit_asks_for_narrower_filters_and_csv_still_works(
    world, demands, monkeypatch
):
    from linli.demands.api import files

    monkeypatch.setattr(files, "XLSX_MAX_ROWS", 1)
    body = expect(export(world.user("dispatcher"), format="xlsx"), 422, "export.too_many_rows")
    assert body["details"] == {"rows": 2, "max_rows": 1}
    assert len(csv_rows(export(world.user("dispatcher"), format="csv"))) == 3


def test_export_refuses_an_unknown_format_and_a_stranger(world, demands):
    expect(export(world.user("dispatcher"), format="pdf"), 422, "request.invalid")
    expect(export(world.user("dispatcher"), area=999999), 422, "org.unknown_jurisdiction")
    expect(Api().get("/demands/export"), 401, "auth.required")


def test_demand_detail_still_answers_next_to_the_export_route(world, demands):
    cg, _ = demands

    assert expect(Api(world.user("dispatcher")).get(f"/demands/{cg.pk}"), 200)["code"] == cg.code


# --- import -------------------------------------------------------------------------------------------


IMPORT_HEADER = ["受理编号", "诉求类型", "诉求内容", "社区", "联系电话", "姓名"]


def write_csv(path, rows) -> bytes:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path.read_bytes()


def upload(api: Api, data: bytes, name: str = "台账.csv", *, dry_run: bool | None = None):
    query = "" if dry_run is None else f"?dry_run={str(dry_run).lower()}"
    return api.client.post(
        BASE + "/demands/import" + query,
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
        headers=api.headers,
    )


@pytest.fixture
def ledger(tmp_path) -> bytes:
    return write_csv(
        tmp_path / "台账.csv",
        [
            IMPORT_HEADER,
            ["T-001", "投诉", "学校门口流动摊贩占道经营", "金榕社区", "13812341234", "王女士"],  # row 2: good
            ["T-002", "求助", "路灯不亮", "不存在社区", "", ""],  # row 3: unknown community
        ],
    )


def test_import_registers_the_good_row_and_reports_the_bad_one_by_row_number(world, ledger):
    _, secret = api_token_create(user=world.user("agent"), name="台账导入")
    agent = Api(token=secret)

    report = expect(upload(agent, ledger), 200)

    assert report["dry_run"] is False
    assert (report["rows"], report["imported"], report["duplicates"]) == (2, 1, [])
    assert [(b["row"], b["code"]) for b in report["bad_rows"]] == [(3, "org.unknown_jurisdiction")]
    assert "不存在社区" in report["bad_rows"][0]["reason"]
    [new_id] = report["ids"]
    detail = expect(agent.get(f"/demands/{new_id}"), 200)
    assert (detail["text"], detail["channel"], detail["external_ref"]) == (
        "学校门口流动摊贩占道经营",
        "import",
        "T-001",
    )


def test_importing_the_same_file_again_reports_duplicates_and_adds_nothing(world, ledger):
    agent = Api(world.user("agent"))
    expect(upload(agent, ledger), 200)
    before = Demand.objects.count()

    report = expect(upload(agent, ledger), 200)

    assert report["imported"] == 0 and report["ids"] == []
    assert report["duplicates"] == [{"row": 2, "external_ref": "T-001"}]
    assert Demand.objects.count() == before


def test_a_dry_run_checks_every_row_and_saves_nothing(world, ledger):
    report = expect(upload(Api(world.user("agent")), ledger, dry_run=True), 200)

    assert (report["dry_run"], report["imported"], report["ids"]) == (True, 1, [])
    assert [b["row"] for b in report["bad_rows"]] == [3]
    assert Demand.objects.count() == 0


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "import.bad_file"),
        ("broken.xlsx", b"PK\x03\x04 this is not really a zip file", "import.bad_file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "import.bad_file"),
        ("empty.csv", b"   \n", "import.empty"),
        ("notes.txt", "随便写的几行字\n没有表头\n".encode(), "import.no_header"),
    ],
)
def test_a_file_that_is_not_a_ledger_is_a_json_error_and_imports_nothing(world, name, data, code):
    r = upload(Api(world.user("agent")), data, name)

    body = expect(r, 422, code)
    assert body["message"] and body["message_en"]
    assert Demand.objects.count() == 0


def test_a_file_over_the_size_limit_is_413(world, ledger, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", len(ledger) - 1)

    expect(upload(Api(world.user("agent")), ledger), 413, "import.too_large")
    assert Demand.objects.count() == 0


def test_import_needs_a_file_a_role_that_registers_and_a_login(world, ledger):
    agent = Api(world.user("agent"))
    expect(agent.client.post(BASE + "/demands/import", {}), 422, "request.invalid")
    expect(upload(Api(world.user("cg_handler")), ledger), 403, "demand.action_forbidden")
    expect(upload(Api(), ledger), 401, "auth.required")
    assert Demand.objects.count() == 0
