"""Bulk import from CSV and XLSX: real files written to disk and read back (given / when / then)."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from linli.core.errors import ApplicationError
from linli.demands.models import Demand, DemandEvent
from linli.demands.services import imports
from linli.demands.services.imports import bad_rows_csv, demands_import

TZ = timezone.get_default_timezone()
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=TZ)

HEADER = [
    "受理编号",
    "诉求类型",
    "紧急程度",
    "标题",
    "诉求内容",
    "地址",
    "社区",
    "分类",
    "联系电话",
    "姓名",
    "受理时间",
]
GOOD_1 = [
    "A001",
    "投诉",
    "一般",
    "占道经营",
    "学校门口流动摊贩占道经营",
    "金榕路1号",
    "金榕社区",
    "城乡建设/市政管理/占道经营",
    "13812341234",
    "王女士",
    "2026-03-01 09:30",
]
MIXED = [
    HEADER,
    GOOD_1,  # row 2: good
    ["A002", "投诉", "一般", "", "噪音扰民", "", "金榕社区", "", "12ab", "", ""],  # row 3: bad phone
    ["A003", "求助", "一般", "", "路灯不亮", "", "不存在社区", "", "", "", ""],  # row 4: unknown community
    ["", "", "", "", "", "", "", "", "", "", ""],  # row 5: empty, skipped
    ["A005", "投诉", "一般", "", "   ", "", "金榕社区", "", "", "", ""],  # row 6: empty text
    [
        "A006",
        "投诉",
        "一般",
        "",
        "井盖缺失",
        "",
        "金榕社区",
        "城乡建设/不存在",
        "",
        "",
        "",
    ],  # row 7: unknown category
    [
        "A007",
        "投诉",
        "一般",
        "",
        "垃圾未清运",
        "",
        "金榕社区",
        "",
        "",
        "",
        "2026-04-01 08:00",
    ],  # row 8: future
    [
        "A008",
        "consultation",
        "紧急",
        "",
        "公交线路咨询",
        "",
        "350902101002",
        "C21",
        "",
        "",
        "",
    ],  # row 9: good, by codes
]
MIXED_BAD = [
    (3, "resident.bad_phone"),
    (4, "org.unknown_jurisdiction"),
    (6, "demand.invalid"),
    (7, "category.unknown"),
    (8, "demand.invalid"),
]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def bad(report):
    return [(b.row, b.code) for b in report.bad_rows]


# --- a mixed file -----------------------------------------------------------------------------------


def test_demands_import_keeps_good_rows_and_reports_bad_ones_by_row_number(world, frozen, tmp_path):
    path = write_csv(tmp_path / "mixed.csv", MIXED)

    report = demands_import(source_path=path)

    assert bad(report) == MIXED_BAD
    assert sorted(report.imported) == [2, 9]
    assert report.rows == 7 and report.duplicates == []
    reasons = {b.row: b.reason for b in report.bad_rows}
    assert reasons[3] == "电话号码格式不正确"
    assert "不存在社区" in reasons[4]
    assert reasons[6] == "诉求内容不能为空"
    assert "城乡建设/不存在" in reasons[7]
    assert "晚于当前时间" in reasons[8]

    first = Demand.objects.select_related("complainant").get(pk=report.imported[2])
    assert (first.channel, first.demand_type, first.urgency, first.status) == (
        "import",
        "complaint",
        "normal",
        "registered",
    )
    assert (first.title, first.text, first.address) == ("占道经营", "学校门口流动摊贩占道经营", "金榕路1号")
    assert first.community == world.community and first.area_path == world.community.path
    assert first.category == world.categories["vendors"]
    assert (first.complainant.phone, first.complainant.name) == ("13812341234", "王女士")
    assert first.external_ref == "A001"
    assert first.registered_at == dt.datetime(2026, 3, 1, 9, 30, tzinfo=TZ)
    events = list(first.events.values_list("kind", "at"))
    assert events == [("registered", dt.datetime(2026, 3, 1, 9, 30, tzinfo=TZ))]

    second = Demand.objects.get(pk=report.imported[9])
    assert (second.demand_type, second.urgency) == ("consultation", "urgent")
    assert second.community == world.other_community and second.category == world.categories["traffic"]
    assert second.complainant_id is None and second.registered_at == NOW
    assert Demand.objects.count() == 2 and DemandEvent.objects.count() == 2


def test_demands_import_twice_adds_nothing_the_second_time(world, frozen, tmp_path):
    path = write_csv(tmp_path / "mixed.csv", MIXED)
    demands_import(source_path=path)

    again = demands_import(source_path=path)

    assert again.imported == {}
    assert again.duplicates == [(2, "A001"), (9, "A008")]
    assert bad(again) == MIXED_BAD
    assert Demand.objects.count() == 2


def test_demands_import_skips_a_ref_repeated_inside_the_file(world, frozen, tmp_path):
    path = write_csv(tmp_path / "twice.csv", [HEADER, GOOD_1, GOOD_1])

    report = demands_import(source_path=path)

    assert list(report.imported) == [2] and report.duplicates == [(3, "A001")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_demands_import_reads_utf8_bom_and_gbk_csv(world, frozen, tmp_path, encoding):
    path = write_csv(tmp_path / f"{encoding}.csv", [HEADER, GOOD_1], encoding=encoding)

    report = demands_import(source_path=path)

    assert bad(report) == [] and list(report.imported) == [2]
    demand = Demand.objects.get()
    assert demand.text == "学校门口流动摊贩占道经营" and demand.community == world.community


def test_demands_import_reads_xlsx_with_english_headers_excel_dates_and_numbers(world, frozen, tmp_path):
    path = write_xlsx(
        tmp_path / "demands.xlsx",
        [
            [
                "external_ref",
                "type",
                "urgency",
                "text",
                "community",
                "category",
                "phone",
                "name",
                "registered_at",
            ],
            [
                "X1",
                "求助",
                "一般",
                "楼道堆放杂物",
                "金榕社区",
                "C111",
                13812341234,
                "李先生",
                dt.datetime(2026, 3, 2, 14, 5),
            ],
            [None] * 9,
            ["X3", "举报", "一般", "夜间施工", "涵江村", "", "", "", dt.datetime(2027, 1, 1)],
            [1234, "建议", "", "增设公交站", "", "", "", "", "2026/3/3 8:00"],
        ],
    )

    report = demands_import(source_path=path)

    assert bad(report) == [(4, "demand.invalid")]
    assert sorted(report.imported) == [2, 5]
    first = Demand.objects.select_related("complainant").get(pk=report.imported[2])
    assert first.complainant.phone == "13812341234" and first.category == world.categories["vendors"]
    assert first.registered_at == dt.datetime(2026, 3, 2, 14, 5, tzinfo=TZ)
    last = Demand.objects.get(pk=report.imported[5])
    assert last.external_ref == "1234" and last.urgency == "normal"
    assert last.registered_at == dt.datetime(2026, 3, 3, 8, 0, tzinfo=TZ)


def test_demands_import_finds_the_header_below_a_title_line_and_ignores_unknown_columns(
    world, frozen, tmp_path
):
    path = write_xlsx(
        tmp_path / "ledger.xlsx",
        [
            ["2026年3月诉求台账"],
            ["序号", "诉求类型", "诉求内容", "备注"],
            [1, "咨询", "办理居住证需要什么材料", "电话转来"],
            [2, "咨询", "", ""],
        ],
    )

    report = demands_import(source_path=path)

    assert list(report.imported) == [3] and bad(report) == [(4, "demand.invalid")]
    assert report.ignored_columns == ["序号", "备注"]


@pytest.mark.parametrize(
    "cells, code, fragment",
    [
        (["谣言", "内容"], "demand.invalid", "诉求类型“谣言”无法识别"),
        (["", "内容"], "demand.invalid", "诉求类型不能为空"),
        (["投诉", "内容", "138****1234"], "resident.bad_phone", "已脱敏"),
        (["投诉", "内容", "", "明天"], "demand.invalid", "受理时间“明天”无法识别"),
    ],
)
def test_demands_import_explains_a_bad_row_in_chinese(world, frozen, tmp_path, cells, code, fragment):
    path = write_csv(tmp_path / "one.csv", [["诉求类型", "诉求内容", "联系电话", "受理时间"], cells])

    report = demands_import(source_path=path)

    assert bad(report) == [(2, code)] and fragment in report.bad_rows[0].reason


def test_demands_import_dry_run_checks_every_row_and_saves_nothing(world, frozen, tmp_path):
    path = write_csv(tmp_path / "mixed.csv", MIXED)

    report = demands_import(source_path=path, dry_run=True)

    assert sorted(report.imported) == [2, 9] and bad(report) == MIXED_BAD
    assert not Demand.objects.exists()


def test_demands_import_records_the_actor_and_refuses_a_role_that_may_not_register(world, frozen, tmp_path):
    path = write_csv(tmp_path / "one.csv", [HEADER, GOOD_1])

    with pytest.raises(ApplicationError) as e:
        demands_import(source_path=path, actor=world.user("leader"))
    assert e.value.code == "demand.action_forbidden" and not Demand.objects.exists()

    report = demands_import(source_path=path, actor=world.user("agent"))
    assert Demand.objects.get(pk=report.imported[2]).registered_by == world.user("agent")


def test_bad_rows_csv_can_be_fixed_and_imported_again(world, frozen, tmp_path):
    report = demands_import(source_path=write_csv(tmp_path / "mixed.csv", MIXED))
    rows = list(csv.reader(io.StringIO(bad_rows_csv(report).decode("utf-8-sig"))))
    assert rows[0] == ["原行号", "错误代码", "错误原因", *HEADER]
    assert [(int(r[0]), r[1]) for r in rows[1:]] == MIXED_BAD
    assert rows[1][3:] == ["A002", "投诉", "一般", "", "噪音扰民", "", "金榕社区", "", "12ab", "", ""]

    rows[1][3 + HEADER.index("联系电话")] = "13900001111"
    fixed = write_csv(tmp_path / "fixed.csv", rows, encoding="utf-8-sig")
    again = demands_import(source_path=fixed)

    assert list(again.imported) == [2]
    assert bad(again) == [
        (3, "org.unknown_jurisdiction"),
        (4, "demand.invalid"),
        (5, "category.unknown"),
        (6, "demand.invalid"),
    ]
    assert Demand.objects.get(pk=again.imported[2]).external_ref == "A002"


# --- files that cannot be imported ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, code",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "import.bad_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "import.bad_file"),
        (b"PK\x03\x04 not really a zip", "import.bad_file"),
        ("姓名,电话\n张三,13812341234\n".encode(), "import.no_header"),
        ("诉求内容,社区\n路灯不亮,金榕社区\n".encode(), "import.missing_column"),
        (b"   \n", "import.empty"),
    ],
)
def test_demands_import_refuses_a_file_it_cannot_read(world, tmp_path, content, code):
    path = tmp_path / "upload.bin"
    path.write_bytes(content)

    with pytest.raises(ApplicationError) as e:
        demands_import(source_path=path)
    assert e.value.code == code and e.value.message_zh


def test_demands_import_refuses_files_over_the_limits_before_importing_anything(
    world, frozen, tmp_path, monkeypatch
):
    path = write_csv(tmp_path / "mixed.csv", MIXED)
    monkeypatch.setattr(imports, "MAX_ROWS", 6)
    with pytest.raises(ApplicationError) as e:
        demands_import(source_path=path)
    assert e.value.code == "import.too_many_rows" and "6" in e.value.message_zh

    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    with pytest.raises(ApplicationError) as e:
        demands_import(source_path=path)
    assert e.value.code == "import.too_large"
    assert not Demand.objects.exists()


def test_demands_import_reads_an_open_file(world, frozen, tmp_path):
    path = write_csv(tmp_path / "one.csv", [HEADER, GOOD_1])

    with open(path, "rb") as fh:
        report = demands_import(file=fh)

    assert list(report.imported) == [2]


# --- the command --------------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_demands", *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_import_demands_command_exits_0_when_every_row_is_good(world, frozen, tmp_path):
    code, out, _ = run(write_csv(tmp_path / "good.csv", [HEADER, GOOD_1]), "--user", "agent")

    assert code == 0 and "导入 1 条" in out
    assert Demand.objects.get().registered_by == world.user("agent")


def test_import_demands_command_exits_1_and_writes_the_report_when_rows_are_bad(world, frozen, tmp_path):
    report = tmp_path / "errors.csv"

    code, out, _ = run(write_csv(tmp_path / "mixed.csv", MIXED), "--report", report)

    assert code == 1
    assert "导入 2 条，跳过重复 0 条，错误 5 行" in out
    assert "第 3 行 [resident.bad_phone] 电话号码格式不正确" in out
    rows = list(csv.reader(io.StringIO(report.read_bytes().decode("utf-8-sig"))))
    assert [int(r[0]) for r in rows[1:]] == [3, 4, 6, 7, 8]


def test_import_demands_command_exits_2_for_a_file_it_cannot_read(world, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    code, _, err = run(path)

    assert code == 2 and "import.bad_file" in err
    assert run(tmp_path / "missing.csv")[0] == 2
    assert run(path, "--user", "nobody")[0] == 2
